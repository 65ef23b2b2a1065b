import type { MappedWebhookEvent } from "../../lib/webhook-result"
import { planFor } from "./plan"

const base = { event_id: "evt_1", event_type: "payment_intent.succeeded" }

describe("planFor", () => {
  it("turns an authorization or a capture with a session and an amount into a payment action", () => {
    const mapped: MappedWebhookEvent = { ...base, action: "captured", currency_code: "usd", data: { session_id: "payses_1", amount: 25 } }
    expect(planFor(mapped)).toEqual({ kind: "payment", action: "captured", session_id: "payses_1", amount: 25, currency_code: "usd" })
  })

  it("hands what Medusa drops (declines, refunds, disputes) to the effects", () => {
    const effect = { kind: "payment_failed" as const, reason: "card_declined" }
    expect(planFor({ ...base, action: "failed", data: { session_id: "payses_1", amount: 25 }, effect })).toEqual({
      kind: "effect",
      session_id: "payses_1",
      effect,
    })
    const refunds = { kind: "refunds" as const, refunds: [] }
    expect(planFor({ ...base, action: "not_supported", data: { session_id: "payses_1", amount: 1 }, effect: refunds })).toMatchObject({
      kind: "effect",
    })
  })

  it("ignores, with the provider's reason, an event that is not supported", () => {
    expect(planFor({ ...base, action: "not_supported", reason: "a live-mode event on a store using a test-mode key" })).toEqual({
      kind: "ignore",
      reason: "a live-mode event on a store using a test-mode key",
    })
  })

  it("ignores an action without a session, a pending one, and one whose amount cannot be used", () => {
    expect(planFor({ ...base, action: "captured" })).toMatchObject({ kind: "ignore", reason: "captured event without a payment session" })
    expect(planFor({ ...base, action: "pending", data: { session_id: "payses_1", amount: 25 } })).toMatchObject({ kind: "ignore" })
    expect(planFor({ ...base, action: "authorized", data: { session_id: "payses_1", amount: 0 } })).toMatchObject({ kind: "ignore" })
    expect(planFor({ ...base, action: "authorized", data: { session_id: "payses_1", amount: Number.NaN } })).toMatchObject({
      kind: "ignore",
    })
  })

  it("ignores a session id holding a NUL character, which no session of this store has", () => {
    expect(planFor({ ...base, action: "captured", data: { session_id: "payses_1\u0000", amount: 25 } })).toMatchObject({ kind: "ignore" })
  })
})
