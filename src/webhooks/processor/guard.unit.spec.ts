import type { PaymentContext } from "../effects/payment-context"
import { isAlreadyDone, judge } from "./guard"
import type { Plan } from "./plan"

/** Cents, as the PSP charges most currencies. */
const minorUnits = (amount: number) => Math.round(amount * 100)
const psp = (sessionReference?: string) => ({ minorUnits, ...(sessionReference ? { sessionReference } : {}) })

type PaymentPlan = Extract<Plan, { kind: "payment" }>

const session = { id: "payses_1", status: "pending", amount: 100, currency_code: "usd", provider_id: "pp_stripe_stripe", data: {} }
const context = (overrides: Partial<PaymentContext> = {}): PaymentContext => ({ session, cartId: "cart_1", ...overrides })
const payment = (captured: number) => ({
  id: "pay_1",
  provider_id: "pp_stripe_stripe",
  currency_code: "usd",
  data: {},
  amount: 100,
  refunded: 0,
  captured,
  canceled_at: null,
  refunds: [],
})
const plan = (overrides: Partial<PaymentPlan> = {}): PaymentPlan => ({
  kind: "payment",
  action: "authorized",
  session_id: "payses_1",
  amount: 100,
  currency_code: "usd",
  ...overrides,
})

describe("judge", () => {
  it("lets through an authorization for the session's amount and currency", () => {
    expect(judge(plan(), "stripe_stripe", context(), psp())).toEqual({ ok: true })
  })

  it("ignores an event that came through another provider entry than the session's", () => {
    expect(judge(plan(), "stripe_auto", context(), psp())).toMatchObject({
      ok: false,
      status: "ignored",
      reason: expect.stringContaining("belongs to pp_stripe_stripe"),
    })
  })

  it("fails an authorization for another amount, and any event in another currency", () => {
    expect(judge(plan({ amount: 99.99 }), "stripe_stripe", context(), psp())).toMatchObject({
      ok: false,
      status: "failed",
      reason: expect.stringContaining("differs from the session's 100 USD"),
    })
    expect(judge(plan({ currency_code: "eur" }), "stripe_stripe", context(), psp())).toMatchObject({
      ok: false,
      status: "failed",
      reason: expect.stringContaining("currency EUR"),
    })
    expect(judge(plan({ action: "captured", amount: 101 }), "stripe_stripe", context(), psp())).toMatchObject({
      ok: false,
      status: "failed",
    })
  })

  it("lets through a capture of less than an authorized payment (a partial capture in the PSP's dashboard), and no other", () => {
    expect(judge(plan({ action: "captured", amount: 40 }), "stripe_stripe", context({ payment: payment(0) }), psp())).toEqual({ ok: true })
    expect(judge(plan({ action: "captured", amount: 40 }), "stripe_stripe", context(), psp())).toMatchObject({
      ok: false,
      status: "failed",
    })
  })

  it("compares in minor units: 100.001 USD is the PSP's 10000 cents", () => {
    expect(judge(plan({ amount: 100.001 }), "stripe_stripe", context(), psp())).toEqual({ ok: true })
  })
})

describe("isAlreadyDone", () => {
  it("holds an authorization done once the payment exists and the cart is an order", () => {
    expect(isAlreadyDone(plan(), context({ payment: payment(0), orderId: "order_1" }), psp())).toBe(true)
    expect(isAlreadyDone(plan(), context({ payment: payment(0) }), psp())).toBe(false)
    expect(isAlreadyDone(plan(), context({ orderId: "order_1" }), psp())).toBe(false)
  })

  it("judges a capture by the captures, not by a flag a partial capture never sets", () => {
    const partial = plan({ action: "captured", amount: 40 })
    expect(isAlreadyDone(partial, context({ payment: payment(40), orderId: "order_1" }), psp())).toBe(true)
    expect(isAlreadyDone(partial, context({ payment: payment(0), orderId: "order_1" }), psp())).toBe(false)
    expect(isAlreadyDone(plan({ action: "captured" }), context({ payment: payment(40), orderId: "order_1" }), psp())).toBe(false)
  })

  it("needs no order for a session that belongs to no cart", () => {
    expect(isAlreadyDone(plan(), context({ cartId: undefined, payment: payment(0) }), psp())).toBe(true)
  })
})

describe("judge: the session's own PSP object", () => {
  it("acts only on events about the PSP object the session pays through", () => {
    expect(judge(plan({ psp_reference: "pi_own" }), "stripe_stripe", context(), psp("pi_own"))).toEqual({ ok: true })
  })

  it("ignores another object that names the session (another integration, anyone's metadata)", () => {
    const verdict = judge(plan({ psp_reference: "pi_other" }), "stripe_stripe", context(), psp("pi_own"))
    expect(verdict).toMatchObject({ ok: false, status: "ignored", reason: expect.stringContaining("pi_other") })
    expect(verdict).toMatchObject({ reason: expect.stringContaining("pi_own") })
    expect(judge(plan(), "stripe_stripe", context(), psp("pi_own"))).toMatchObject({
      ok: false,
      status: "ignored",
      reason: expect.stringContaining("naming no PSP payment"),
    })
  })

  it("fails, for a person, a payment on an object this store created for the session and then replaced", () => {
    const verdict = judge(
      plan({ psp_reference: "ch_before", created_here: true }),
      "yoco_yoco",
      context({ session: { ...session, provider_id: "pp_yoco_yoco" } }),
      psp("ch_now"),
    )
    expect(verdict).toMatchObject({ ok: false, status: "failed", reason: expect.stringContaining("refund it or place the order by hand") })
    expect(verdict).not.toHaveProperty("amountMismatch")
  })
})
