import Stripe from "stripe"
import { FakeStripe } from "../../testing/stripe"
import { readStripePaymentView } from "./payment-view"

const fake = new FakeStripe()
let stripe: Stripe

beforeAll(async () => {
  await fake.start()
  stripe = new Stripe("sk_test_view", { ...fake.clientConfig(), maxNetworkRetries: 0 })
})
afterAll(() => fake.stop())

describe("readStripePaymentView", () => {
  it("shows the intent's amount, what was received and what its charge had refunded, in major units", async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "usd",
      capture_method: "manual",
      metadata: { session_id: "payses_view" },
    })
    fake.authorize(intent.id)
    expect(await readStripePaymentView(stripe, { id: intent.id })).toEqual({
      status: "requires_capture",
      amount: 25,
      captured: 0,
      refunded: 0,
      currency_code: "usd",
    })
    fake.succeed(intent.id)
    fake.refundFromDashboard(intent.id, 700)
    expect(await readStripePaymentView(stripe, { id: intent.id })).toEqual({
      status: "succeeded",
      amount: 25,
      captured: 25,
      refunded: 7,
      currency_code: "usd",
    })
  })

  it("fails plainly without a PaymentIntent or when Stripe fails", async () => {
    await expect(readStripePaymentView(stripe, {})).rejects.toThrow("no Stripe PaymentIntent")
    fake.failNext({ status: 500, shouldRetry: false })
    await expect(readStripePaymentView(stripe, { id: "pi_anything" })).rejects.toThrow()
  })
})
