import type Stripe from "stripe"
import { PaymentActions } from "@medusajs/framework/utils"
import { HANDLED_STRIPE_EVENTS, mapStripeEvent, type HandledStripeEventType } from "../../providers/stripe/events"
import { buildStripeTriggerEvent } from "./stripe"

const SESSION = "payses_trigger_unit"
const INTENT = "pi_trigger_unit"

function build(type: HandledStripeEventType) {
  return buildStripeTriggerEvent({ type, sessionId: SESSION, amount: 2500, currency: "USD", intentId: INTENT, now: 1_800_000_000_000 })
}

/** The built event as the verified Stripe event the provider receives (it is JSON on the wire). */
function asReceived(type: HandledStripeEventType): Stripe.Event {
  return JSON.parse(JSON.stringify(build(type)))
}

describe("buildStripeTriggerEvent", () => {
  it.each(HANDLED_STRIPE_EVENTS.map((type) => [type]))("builds %s as an event the provider acts on for the session", (type) => {
    const mapped = mapStripeEvent(asReceived(type), { sessionId: SESSION })
    expect(mapped).toMatchObject({ event_type: type, data: { session_id: SESSION } })
    // Acted on: by Medusa (an action it runs) or by the plugin (an effect), never left as not supported.
    expect(mapped.action !== PaymentActions.NOT_SUPPORTED || mapped.effect !== undefined).toBe(true)
  })

  it.each([
    ["payment_intent.amount_capturable_updated", "requires_capture", PaymentActions.AUTHORIZED, 25],
    ["payment_intent.succeeded", "succeeded", PaymentActions.SUCCESSFUL, 25],
    ["payment_intent.processing", "processing", PaymentActions.PENDING, 25],
    ["payment_intent.created", "requires_payment_method", PaymentActions.PENDING, 25],
    ["payment_intent.requires_action", "requires_action", PaymentActions.REQUIRES_MORE, 25],
    ["payment_intent.partially_funded", "requires_action", PaymentActions.REQUIRES_MORE, 25],
    ["payment_intent.payment_failed", "requires_payment_method", PaymentActions.FAILED, 25],
    ["payment_intent.canceled", "canceled", PaymentActions.CANCELED, 25],
  ] as const)("%s carries the intent in status %s, mapped to %s for the session", (type, status, action, amount) => {
    const event = build(type)
    expect(event).toMatchObject({ object: "event", type, livemode: false, created: 1_800_000_000 })
    expect(event.id).toMatch(/^evt_/)
    expect(event.data.object).toMatchObject({
      object: "payment_intent",
      id: INTENT,
      status,
      currency: "usd",
      metadata: { session_id: SESSION },
    })
    expect(mapStripeEvent(asReceived(type))).toMatchObject({ action, data: { session_id: SESSION, amount }, event_type: type })
  })

  it("reports what each event type says about the payment", () => {
    expect(build("payment_intent.amount_capturable_updated").data.object).toMatchObject({
      amount_capturable: 2500,
      capture_method: "manual",
    })
    expect(build("payment_intent.succeeded").data.object).toMatchObject({
      amount_received: 2500,
      latest_charge: expect.stringMatching(/^ch_/),
    })
    expect(build("payment_intent.payment_failed").data.object).toMatchObject({ last_payment_error: { code: "card_declined" } })
    expect(build("payment_intent.partially_funded").data.object).toMatchObject({
      next_action: { type: "display_bank_transfer_instructions", display_bank_transfer_instructions: { amount_remaining: 1250 } },
    })
  })

  it("sends charge.refunded with the refunded charge, which carries the session id Stripe copies from the intent", () => {
    const event = build("charge.refunded")
    expect(event.data.object).toMatchObject({
      object: "charge",
      payment_intent: INTENT,
      refunded: true,
      amount_refunded: 2500,
      metadata: { session_id: SESSION },
    })
    expect(event.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false })
  })

  it("sends refund.created with the refund, and refund.updated with a refund that failed", () => {
    expect(build("refund.created").data.object).toMatchObject({
      object: "refund",
      payment_intent: INTENT,
      status: "succeeded",
      amount: 2500,
    })
    const updated = build("refund.updated")
    expect(updated.data.object).toMatchObject({
      object: "refund",
      payment_intent: INTENT,
      status: "failed",
      failure_reason: "expired_or_canceled_card",
    })
    expect(updated.data.previous_attributes).toEqual({ status: "succeeded", failure_reason: null })
  })

  it("sends disputes about the intent's charge, opened and then lost", () => {
    expect(build("charge.dispute.created").data.object).toMatchObject({
      object: "dispute",
      payment_intent: INTENT,
      status: "needs_response",
      amount: 2500,
    })
    const closed = build("charge.dispute.closed")
    expect(closed.data.object).toMatchObject({ object: "dispute", payment_intent: INTENT, status: "lost" })
    expect(closed.data.previous_attributes).toEqual({ status: "needs_response" })
  })

  it("mints an intent id when none is given, and reuses an event id when asked", () => {
    const fresh = buildStripeTriggerEvent({ type: "payment_intent.succeeded", sessionId: SESSION, amount: 100, currency: "jpy" })
    expect(fresh.data.object).toMatchObject({ id: expect.stringMatching(/^pi_/), amount: 100, currency: "jpy" })
    const again = buildStripeTriggerEvent({
      type: "payment_intent.succeeded",
      sessionId: SESSION,
      amount: 100,
      currency: "jpy",
      eventId: "evt_same",
    })
    expect(again.id).toBe("evt_same")
  })
})
