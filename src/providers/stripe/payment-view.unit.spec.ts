import Stripe from "stripe"
import { FakeStripe } from "../../testing/stripe"
import { createAbortableStripeClient } from "./client"
import { parseStripeOptions } from "./options"
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

describe("readStripePaymentView with a signal", () => {
  const options = () => parseStripeOptions({ apiKey: "sk_test_view", webhookSecret: "whsec_view", apiBaseUrl: fake.url })

  it("reads through a client tied to the signal, with the provider's own API key and host", async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1200, currency: "eur", metadata: { session_id: "payses_signal" } })
    const controller = new AbortController()
    const view = await readStripePaymentView(
      createAbortableStripeClient(options(), controller.signal),
      { id: intent.id },
      controller.signal,
    )
    expect(view).toMatchObject({ amount: 12, currency_code: "eur" })
  })

  it("aborts a hung request when the signal fires: the caller is answered at once and Stripe sees the connection closed", async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1200, currency: "eur", metadata: { session_id: "payses_hung" } })
    const path = `/v1/payment_intents/${intent.id}`
    fake.delayNext({ method: "GET", path, ms: 30_000 })
    const controller = new AbortController()
    const started = Date.now()
    const read = readStripePaymentView(createAbortableStripeClient(options(), controller.signal), { id: intent.id }, controller.signal)
    setTimeout(() => controller.abort(new Error("the admin's deadline passed")), 100)

    await expect(read).rejects.toThrow("the admin's deadline passed")
    expect(Date.now() - started).toBeLessThan(2_000)
    await waitFor(() => fake.requests.some((request) => request.path === path && request.closedByClient))
    // The SDK's retries of an aborted request never reach Stripe.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(fake.requests.filter((request) => request.path === path && request.method === "GET")).toEqual([
      expect.objectContaining({ status: 0, closedByClient: true }),
    ])
  })
})

/** Polls `check` until it holds (up to 2 s). */
async function waitFor(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 2_000) {
      throw new Error("the condition never held")
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
