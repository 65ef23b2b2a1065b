import type Stripe from "stripe"
import { mapStripeEvent } from "./events"

function intent(overrides: Partial<Stripe.PaymentIntent> = {}): Stripe.PaymentIntent {
  return {
    id: "pi_1",
    object: "payment_intent",
    amount: 2500,
    amount_capturable: 2400,
    amount_received: 2300,
    currency: "usd",
    metadata: { session_id: "payses_1" },
    status: "requires_capture",
    ...overrides,
  } as Stripe.PaymentIntent
}

function event(type: string, object: object): Stripe.Event {
  return { id: "evt_1", object: "event", type, data: { object } } as Stripe.Event
}

describe("Stripe event mapping", () => {
  it.each([
    ["payment_intent.amount_capturable_updated", "authorized", 24],
    ["payment_intent.succeeded", "captured", 23],
    ["payment_intent.processing", "pending", 25],
    ["payment_intent.created", "pending", 25],
    ["payment_intent.requires_action", "requires_more", 25],
    ["payment_intent.partially_funded", "requires_more", 25],
    ["payment_intent.payment_failed", "failed", 25],
    ["payment_intent.canceled", "canceled", 25],
  ])("%s → %s with the amount in major units", (type, action, amount) => {
    expect(mapStripeEvent(event(type, intent()))).toMatchObject({
      action,
      event_id: "evt_1",
      event_type: type,
      currency_code: "usd",
      data: { session_id: "payses_1", amount },
    })
  })

  it("carries Stripe's reason for a decline and a cancellation", () => {
    const declined = intent({
      status: "requires_payment_method",
      last_payment_error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" },
    })
    expect(mapStripeEvent(event("payment_intent.payment_failed", declined)).effect).toEqual({
      kind: "payment_failed",
      reason: "insufficient_funds",
    })
    const canceled = intent({ status: "canceled", cancellation_reason: "abandoned" })
    expect(mapStripeEvent(event("payment_intent.canceled", canceled)).effect).toEqual({ kind: "payment_canceled", reason: "abandoned" })
    expect(mapStripeEvent(event("payment_intent.succeeded", intent())).effect).toBeUndefined()
  })

  it("maps charge.refunded to the refunds to record, from the event or the looked-up list", () => {
    const charge = { object: "charge", id: "ch_1", amount_refunded: 1500, currency: "usd", payment_intent: "pi_1", metadata: {} }
    const refund = { object: "refund", id: "re_1", amount: 1500, currency: "usd", status: "succeeded", payment_intent: "pi_1" }
    const mapped = mapStripeEvent(event("charge.refunded", charge), { sessionId: "payses_1", refunds: [refund as Stripe.Refund] })
    expect(mapped).toMatchObject({
      action: "not_supported",
      data: { session_id: "payses_1", amount: 15 },
      effect: { kind: "refunds", refunds: [{ id: "re_1", amount: 15, status: "succeeded" }] },
    })
    expect(mapStripeEvent(event("charge.refunded", charge), {}).reason).toContain("metadata.session_id")
  })

  it("maps a failed refund and a dispute", () => {
    const failed = {
      object: "refund",
      id: "re_2",
      amount: 500,
      currency: "usd",
      status: "failed",
      failure_reason: "expired_or_canceled_card",
    }
    expect(mapStripeEvent(event("refund.updated", failed), { sessionId: "payses_1" }).effect).toEqual({
      kind: "refunds",
      refunds: [{ id: "re_2", amount: 5, status: "failed", failure_reason: "expired_or_canceled_card" }],
    })
    const dispute = {
      object: "dispute",
      id: "dp_1",
      amount: 2500,
      currency: "usd",
      reason: "fraudulent",
      status: "needs_response",
      evidence_details: { due_by: 1_800_000_000 },
    }
    expect(mapStripeEvent(event("charge.dispute.created", dispute), { sessionId: "payses_1" }).effect).toEqual({
      kind: "dispute",
      phase: "opened",
      dispute: {
        id: "dp_1",
        status: "needs_response",
        closed: false,
        reason: "fraudulent",
        amount: 25,
        currency_code: "usd",
        evidence_due_by: "2027-01-15T08:00:00.000Z",
      },
    })
  })

  it("converts zero- and three-decimal currencies exactly", () => {
    expect(mapStripeEvent(event("payment_intent.succeeded", intent({ currency: "jpy", amount_received: 1500 }))).data?.amount).toBe(1500)
    expect(mapStripeEvent(event("payment_intent.succeeded", intent({ currency: "kwd", amount_received: 12340 }))).data?.amount).toBe(12.34)
  })

  it("ignores an intent that this store did not create", () => {
    const mapped = mapStripeEvent(event("payment_intent.succeeded", intent({ metadata: {} })))
    expect(mapped.action).toBe("not_supported")
    expect(mapped.data).toBeUndefined()
    expect(mapped.reason).toContain("metadata.session_id")
  })

  it("does not act on other event types", () => {
    const mapped = mapStripeEvent(event("customer.created", { object: "customer", id: "cus_1" }))
    expect(mapped).toMatchObject({ action: "not_supported", reason: expect.stringContaining("customer.created") })
  })

  it("does not act on a payment_intent event whose object is not an intent", () => {
    expect(mapStripeEvent(event("payment_intent.succeeded", { object: "charge" })).action).toBe("not_supported")
  })
})
