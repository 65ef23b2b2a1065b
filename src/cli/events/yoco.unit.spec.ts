import { PaymentActions } from "@medusajs/framework/utils"
import { mapYocoEvent, parseYocoEvent } from "../../providers/yoco/events"
import type { YocoCheckout } from "../../providers/yoco/types"
import { buildYocoTriggerEvent, type YocoEventType } from "./yoco"

const SESSION = "payses_trigger_unit"
const CHECKOUT: YocoCheckout = {
  id: "ch_trigger_unit",
  redirectUrl: "https://pay.example/ch",
  status: "completed",
  amount: 2500,
  currency: "ZAR",
  paymentId: "p_trigger_unit",
  metadata: { session_id: SESSION, checkoutId: "ch_trigger_unit" },
  processingMode: "test",
}

function build(type: YocoEventType, mode: "test" | "live" = "test") {
  return buildYocoTriggerEvent({
    type,
    sessionId: SESSION,
    checkoutId: CHECKOUT.id,
    amount: 2500,
    currency: "zar",
    mode,
    paymentId: CHECKOUT.paymentId,
  })
}

describe("buildYocoTriggerEvent", () => {
  it("builds payment.succeeded as Yoco sends it, which the provider captures against the checkout", () => {
    const event = build("payment.succeeded")
    expect(event).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: "payment.succeeded",
      payload: {
        id: "p_trigger_unit",
        type: "payment",
        amount: 2500,
        currency: "ZAR",
        status: "succeeded",
        mode: "test",
        metadata: { checkoutId: CHECKOUT.id, session_id: SESSION },
      },
    })
    const parsed = parseYocoEvent(JSON.parse(JSON.stringify(event)))
    expect(parsed).toBeDefined()
    expect(mapYocoEvent(parsed!, { mode: "test", checkout: CHECKOUT })).toMatchObject({
      action: PaymentActions.SUCCESSFUL,
      data: { session_id: SESSION, amount: 25 },
    })
  })

  it.each(["refund.succeeded", "refund.failed"] as const)("builds %s about the checkout's payment", (type) => {
    const event = build(type)
    expect(event.payload).toMatchObject({
      id: expect.stringMatching(/^rf_/),
      type: "refund",
      paymentId: CHECKOUT.paymentId,
      amount: 2500,
      status: type === "refund.failed" ? "failed" : "succeeded",
      metadata: { checkoutId: CHECKOUT.id },
    })
    expect(parseYocoEvent(JSON.parse(JSON.stringify(event)))).toBeDefined()
  })

  it("carries the mode it is given, so a store on a test key does not act on a live event", () => {
    const live = parseYocoEvent(JSON.parse(JSON.stringify(build("payment.succeeded", "live"))))
    expect(live).toBeDefined()
    expect(mapYocoEvent(live!, { mode: "test", checkout: CHECKOUT }).action).toBe(PaymentActions.NOT_SUPPORTED)
    expect(mapYocoEvent(live!, { mode: "live", checkout: { ...CHECKOUT, processingMode: "live" } }).action).toBe(PaymentActions.SUCCESSFUL)
  })
})
