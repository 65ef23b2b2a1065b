import { FakeStripe } from "../../testing/stripe"
import { RecordingLogger } from "../../testing/recording-logger"
import { StripeProviderService } from "./service"

/** Medusa's payment records as the payment module's container holds them: a Capture or Refund row per id. */
class Records {
  readonly captures: Array<{ id: string; raw_amount: { value: string }; payment_id: string }> = []
  readonly refunds: Array<{ id: string; raw_amount: { value: string }; payment_id: string; note: string | null }> = []
  paymentData: Record<string, unknown> = {}
  private reader<T extends { id: string; payment_id: string }>(rows: T[]) {
    return {
      retrieve: async (id: string) => rows.find((row) => row.id === id) as T,
      list: async (filters: Record<string, unknown>) =>
        rows.filter((row) => (filters.id ? row.id === filters.id : row.payment_id === filters.payment_id)),
    }
  }
  get cradle() {
    return {
      logger: new RecordingLogger(),
      captureService: this.reader(this.captures),
      refundService: this.reader(this.refunds),
      paymentService: {
        retrieve: async () => ({ id: "pay_1", data: this.paymentData }),
        list: async () => [{ id: "pay_1", data: this.paymentData }],
      },
    }
  }
}

const stripe = new FakeStripe()
let records: Records
let provider: StripeProviderService

beforeAll(() => stripe.start())
afterAll(() => stripe.stop())
beforeEach(() => {
  records = new Records()
  provider = new StripeProviderService(records.cradle, { apiKey: "sk_test_unit", webhookSecret: "whsec_unit", apiBaseUrl: stripe.url })
})

/** An intent for 25.00 USD authorized at Stripe (manual capture), and Medusa's payment data for it. */
async function authorized() {
  const { data } = await provider.initiatePayment({ amount: 25, currency_code: "usd", data: { session_id: "payses_1" } })
  stripe.authorize(String(data?.id))
  return { intentId: String(data?.id), data: (await provider.retrievePayment({ data })).data ?? {} }
}

let made = 0
/** Medusa commits a Capture of `amount` (ids unique across tests: the fake keeps idempotency keys). */
function medusaCaptures(amount: number, id = `capt_${++made}`) {
  records.captures.push({ id, raw_amount: { value: String(amount) }, payment_id: "pay_1" })
  return id
}

describe("StripeProviderService.capturePayment", () => {
  it("captures exactly the amount of the Capture Medusa committed, keyed by its id", async () => {
    const { intentId, data } = await authorized()
    const key = medusaCaptures(10)
    await provider.capturePayment({ data, context: { idempotency_key: key } })
    expect(stripe.intent(intentId)).toMatchObject({ status: "succeeded", amount_received: 1000 })
    const [call] = stripe.requests.filter((request) => request.path === `/v1/payment_intents/${intentId}/capture`)
    expect(call).toMatchObject({ idempotencyKey: key, body: { amount_to_capture: "1000" } })
  })

  it("refuses a further capture once Stripe captured part and released the rest, naming what Stripe captured", async () => {
    const { intentId, data } = await authorized()
    await provider.capturePayment({ data, context: { idempotency_key: medusaCaptures(10) } })
    const key = medusaCaptures(5)
    await expect(provider.capturePayment({ data, context: { idempotency_key: key } })).rejects.toThrow(
      `Stripe captured 10.00 USD of PaymentIntent ${intentId} and released the rest (a PaymentIntent is captured once), so Medusa cannot book 15.00 USD captured`,
    )
    expect(stripe.captureCount(intentId)).toBe(1)
  })

  it("books without calling Stripe what Stripe already captured, and no more", async () => {
    const { intentId, data } = await authorized()
    stripe.succeed(intentId, 1000) // the dashboard captured 10.00
    await expect(provider.capturePayment({ data, context: { idempotency_key: medusaCaptures(10) } })).resolves.toBeDefined()
    await expect(provider.capturePayment({ data, context: { idempotency_key: medusaCaptures(15) } })).rejects.toThrow(
      "Stripe captured 10.00 USD",
    )
    expect(stripe.captureCount(intentId)).toBe(1)
  })

  it("refuses an intent whose authorization Stripe canceled", async () => {
    const { intentId, data } = await authorized()
    stripe.expireAuthorization(intentId)
    await expect(provider.capturePayment({ data, context: { idempotency_key: medusaCaptures(25) } })).rejects.toThrow(
      `PaymentIntent ${intentId} is canceled, so nothing can be captured (its authorization was canceled or expired)`,
    )
  })
})

describe("StripeProviderService.refundPayment", () => {
  async function captured() {
    const { intentId, data } = await authorized()
    stripe.succeed(intentId)
    return { intentId, data: (await provider.retrievePayment({ data })).data ?? {} }
  }

  it("tags the refund with Medusa's refund id and records both ids on the payment's data as committed now", async () => {
    const { intentId, data } = await captured()
    records.refunds.push({ id: "ref_1", raw_amount: { value: "10" }, payment_id: "pay_1", note: null })
    records.paymentData = { ...data, written_meanwhile: true }
    const { data: after } = await provider.refundPayment({ amount: 10, data, context: { idempotency_key: "ref_1" } })
    expect(stripe.refundsOf(intentId)).toEqual([expect.objectContaining({ amount: 1000, metadata: { medusa_refund_id: "ref_1" } })])
    expect(after).toMatchObject({
      written_meanwhile: true,
      refunds: [{ id: stripe.refundsOf(intentId)[0].id, amount: 1000, medusa_refund_id: "ref_1" }],
    })
  })

  it("records a dashboard refund its marked note names without refunding again; a hand-typed note refunds as usual", async () => {
    const { intentId, data } = await captured()
    const dashboard = stripe.refundFromDashboard(intentId, 700)
    records.refunds.push({
      id: "ref_2",
      raw_amount: { value: "7" },
      payment_id: "pay_1",
      note: provider.externalRefundNote("pay_1", dashboard.id),
    })
    const { data: recorded } = await provider.refundPayment({ amount: 7, data, context: { idempotency_key: "ref_2" } })
    expect(stripe.refundsOf(intentId)).toHaveLength(1)
    expect(provider.bookedRefunds(recorded ?? {})).toEqual([
      expect.objectContaining({ psp_refund_id: dashboard.id, medusa_refund_id: "ref_2", external: true }),
    ])

    records.refunds.push({
      id: "ref_3",
      raw_amount: { value: "1" },
      payment_id: "pay_1",
      note: `Refunded at the payment provider (${dashboard.id}, mark 0123456789abcdef)`,
    })
    await provider.refundPayment({ amount: 1, data, context: { idempotency_key: "ref_3" } })
    expect(stripe.refundsOf(intentId)).toHaveLength(2)
  })

  it("reads a note's mark only for the payment it was made for", () => {
    const note = provider.externalRefundNote("pay_1", "re_1")
    expect(provider.externalRefundOfNote(note, "pay_1")).toBe("re_1")
    expect(provider.externalRefundOfNote(note, "pay_2")).toBeUndefined()
  })
})
