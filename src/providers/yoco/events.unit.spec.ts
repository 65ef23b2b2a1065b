import { PaymentActions } from "@medusajs/framework/utils"
import { checkoutToRetrieve, mapYocoEvent, parseYocoEvent, YocoEvent, YocoEventContext } from "./events"
import type { YocoCheckout } from "./types"

type PayloadPatch = Partial<YocoEvent["payload"]>

function event(type: string, patch: PayloadPatch = {}): YocoEvent {
  return {
    id: "evt_1",
    type,
    createdDate: "2025-01-01T00:00:00Z",
    payload: {
      id: "p_1",
      type: "payment",
      amount: 1999,
      currency: "ZAR",
      status: "succeeded",
      mode: "test",
      metadata: { checkoutId: "ch_1" },
      ...patch,
    },
  }
}

const checkout: YocoCheckout = {
  id: "ch_1",
  redirectUrl: "https://c.yoco.com/checkout/ch_1",
  status: "completed",
  amount: 1999,
  currency: "ZAR",
  paymentId: "p_1",
  metadata: { checkoutId: "ch_1", session_id: "payses_1" },
  processingMode: "test",
}

const captured = { action: PaymentActions.SUCCESSFUL, data: { session_id: "payses_1", amount: 19.99 } }
const withSession = { metadata: { checkoutId: "ch_1", session_id: "payses_1" } }
const test: YocoEventContext = { mode: "test" }

describe("mapYocoEvent", () => {
  it.each<[string, YocoEvent, YocoEventContext, Partial<ReturnType<typeof mapYocoEvent>>, string]>([
    [
      "succeeded, session id echoed in metadata and matching the checkout's",
      event("payment.succeeded", withSession),
      { mode: "test", checkout },
      captured,
      "",
    ],
    ["succeeded, session id from the retrieved checkout", event("payment.succeeded"), { mode: "test", checkout }, captured, ""],
    [
      "succeeded in live mode with a live key",
      event("payment.succeeded", { ...withSession, mode: "live" }),
      { mode: "live", checkout: { ...checkout, processingMode: "live" } },
      captured,
      "",
    ],
    [
      "amount converted exactly (cents → rand)",
      event("payment.succeeded", { amount: 123456789, metadata: { checkoutId: "ch_1", session_id: "payses_1" } }),
      { mode: "test", checkout: { ...checkout, amount: 123456789 } },
      { action: PaymentActions.SUCCESSFUL, data: { session_id: "payses_1", amount: 1234567.89 } },
      "",
    ],
    [
      "test-mode event against a live key",
      event("payment.succeeded", withSession),
      { mode: "live" },
      { action: "not_supported" },
      'mode "test" differs',
    ],
    [
      "live-mode event against a test key",
      event("payment.succeeded", { ...withSession, mode: "live" }),
      test,
      { action: "not_supported" },
      'mode "live" differs',
    ],
    [
      "event without a mode",
      event("payment.succeeded", { ...withSession, mode: undefined }),
      test,
      { action: "not_supported" },
      'mode "none"',
    ],
    [
      "no checkoutId (not a Checkout API payment)",
      event("payment.succeeded", { metadata: { session_id: "payses_1" } }),
      test,
      { action: "not_supported" },
      "no metadata.checkoutId",
    ],
    ["metadata absent", event("payment.succeeded", { metadata: null }), test, { action: "not_supported" }, "no metadata.checkoutId"],
    [
      "session id echoed, but the checkout was not retrieved",
      event("payment.succeeded", withSession),
      test,
      { action: "not_supported" },
      "was not retrieved",
    ],
    [
      "no session id and the checkout was not retrieved",
      event("payment.succeeded"),
      test,
      { action: "not_supported" },
      "was not retrieved",
    ],
    [
      "another integration's checkout (retrieved, no session id)",
      event("payment.succeeded"),
      { mode: "test", checkout: { ...checkout, metadata: { checkoutId: "ch_1", orderId: "42" } } },
      { action: "not_supported" },
      "not created by this store",
    ],
    ["checkout unknown to Yoco", event("payment.succeeded"), { mode: "test", checkout: null }, { action: "not_supported" }, "unknown"],
    [
      "retrieved checkout is another one",
      event("payment.succeeded"),
      { mode: "test", checkout: { ...checkout, id: "ch_2" } },
      { action: "not_supported" },
      "not the event's checkout",
    ],
    [
      "echoed session id contradicts the checkout's",
      event("payment.succeeded", { metadata: { checkoutId: "ch_1", session_id: "payses_other" } }),
      { mode: "test", checkout },
      { action: "not_supported" },
      "no matching session_id",
    ],
    [
      "amount differs from the checkout's",
      event("payment.succeeded", { amount: 100 }),
      { mode: "test", checkout },
      { action: "not_supported" },
      "differs from checkout ch_1's 1999 ZAR",
    ],
    [
      "amount differs from the checkout's, though the session id is echoed",
      event("payment.succeeded", { ...withSession, amount: 100 }),
      { mode: "test", checkout },
      { action: "not_supported" },
      "differs from checkout ch_1's 1999 ZAR",
    ],
    [
      "currency differs from the checkout's",
      event("payment.succeeded"),
      { mode: "test", checkout: { ...checkout, currency: "USD" } },
      { action: "not_supported" },
      "differs from checkout",
    ],
    [
      "a non-ZAR payment",
      event("payment.succeeded", { ...withSession, currency: "USD" }),
      test,
      { action: "not_supported" },
      "only creates ZAR",
    ],
    ["no amount", event("payment.succeeded", { ...withSession, amount: undefined }), test, { action: "not_supported" }, "no amount"],
    [
      "status other than succeeded",
      event("payment.succeeded", { ...withSession, status: "failed" }),
      test,
      { action: "not_supported" },
      'status "failed"',
    ],
    [
      "refund.succeeded without its checkout",
      event("refund.succeeded", { ...withSession, type: "refund" }),
      test,
      { action: "not_supported" },
      "cannot find at Yoco",
    ],
    [
      "refund.failed of another integration's checkout",
      event("refund.failed", { type: "refund" }),
      { mode: "test", checkout: { ...checkout, metadata: {} } },
      { action: "not_supported" },
      "not created by this store",
    ],
    ["unknown event type", event("payment.failed", withSession), test, { action: "not_supported" }, '"payment.failed" is not handled'],
  ])("%s", (_name, input, context, expected, reason) => {
    const result = mapYocoEvent(input, context)
    expect(result).toMatchObject(expected)
    expect(result.suspicious ?? false).toBe(/differs from checkout|not the event's|no matching session_id/.test(reason))
    if (reason) {
      expect(result.data).toBeUndefined()
      expect(result.reason).toContain(reason)
    } else {
      expect(result.reason).toBeUndefined()
    }
  })
})

describe("refund events", () => {
  const context: YocoEventContext = { mode: "test", checkout }

  it("refund.succeeded → the refund to record on the session's payment, in major units", () => {
    const result = mapYocoEvent(event("refund.succeeded", { id: "rf_1", type: "refund", amount: 500 }), context)
    expect(result).toEqual({
      action: "not_supported",
      psp_reference: checkout.id,
      data: { session_id: "payses_1", amount: 5 },
      effect: { kind: "refunds", refunds: [{ id: "rf_1", amount: 5, status: "succeeded" }] },
    })
  })

  it("refund.failed → the refund to mark failed", () => {
    const result = mapYocoEvent(event("refund.failed", { id: "rf_2", type: "refund", amount: 500, status: "failed" }), context)
    expect(result.effect).toEqual({ kind: "refunds", refunds: [{ id: "rf_2", amount: 5, status: "failed", failure_reason: "failed" }] })
    expect(result.data?.session_id).toBe("payses_1")
  })
})

describe("checkoutToRetrieve", () => {
  it("asks for the checkout for every payment of our mode, even one that echoes the session id", () => {
    expect(checkoutToRetrieve(event("payment.succeeded"), "test")).toBe("ch_1")
    expect(checkoutToRetrieve(event("payment.succeeded", withSession), "test")).toBe("ch_1")
    expect(checkoutToRetrieve(event("payment.succeeded"), "live")).toBeUndefined()
    expect(checkoutToRetrieve(event("refund.succeeded"), "test")).toBe("ch_1")
    expect(checkoutToRetrieve(event("refund.succeeded"), "live")).toBeUndefined()
    expect(checkoutToRetrieve(event("payment.failed"), "test")).toBeUndefined()
    expect(checkoutToRetrieve(event("payment.succeeded", { metadata: {} }), "test")).toBeUndefined()
  })
})

describe("parseYocoEvent", () => {
  it("reads an event and refuses bodies that are not one", () => {
    expect(parseYocoEvent(event("payment.succeeded"))?.id).toBe("evt_1")
    expect(parseYocoEvent({ id: "evt_1", type: "payment.succeeded" })).toBeUndefined()
    expect(parseYocoEvent([1, 2])).toBeUndefined()
    expect(parseYocoEvent({ id: "evt_1", type: "x", payload: { amount: 1.5 } })).toBeUndefined()
  })
})
