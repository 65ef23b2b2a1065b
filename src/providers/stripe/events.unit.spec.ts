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
    expect(mapStripeEvent(event(type, intent()))).toEqual({
      action,
      event_id: "evt_1",
      event_type: type,
      currency_code: "usd",
      data: { session_id: "payses_1", amount },
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
