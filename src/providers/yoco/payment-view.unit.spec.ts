import { FakeYoco } from "../../testing/yoco"
import { YocoClient } from "./client"
import { readYocoPaymentView } from "./payment-view"

const fake = new FakeYoco()
const client = () => new YocoClient({ secretKey: FakeYoco.TEST_KEY, baseUrl: fake.url, retryBaseDelayMs: 1, sleep: async () => undefined })

beforeAll(() => fake.start())
afterAll(() => fake.stop())

describe("readYocoPaymentView", () => {
  it("shows the checkout's status and amount, captured once completed, and the refunds Yoco confirmed", async () => {
    const checkout = await client().createCheckout({ amount: 19999, currency: "ZAR", metadata: { session_id: "payses_view" } })
    const data = { checkout_id: checkout.id, session_id: "payses_view" }
    expect(await readYocoPaymentView(client(), data)).toEqual({
      status: "created",
      amount: 199.99,
      captured: 0,
      refunded: 0,
      currency_code: "zar",
    })
    await fake.pay(checkout.id)
    const refunds = [
      { refund_id: "r1", status: "succeeded", amount: 5000 },
      { refund_id: "r2", status: "pending", amount: 100 },
    ]
    expect(await readYocoPaymentView(client(), { ...data, refunds })).toEqual({
      status: "completed",
      amount: 199.99,
      captured: 199.99,
      refunded: 50,
      currency_code: "zar",
    })
  })

  it("fails plainly without a checkout", async () => {
    await expect(readYocoPaymentView(client(), {})).rejects.toThrow("checkout_id")
  })
})
