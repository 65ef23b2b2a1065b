import { RecordingLogger } from "../../testing/recording-logger"
import { MedusaError } from "@medusajs/framework/utils"
import { FakeYoco, FakeYocoEvent } from "../../testing/yoco"
import { isWebhookVerificationError } from "../../lib/errors"
import { signStandardWebhook } from "../base/standard-webhooks"
import { YocoProviderService } from "./service"

/** Keeps every log line, to assert what is (and is not) logged. */

const fake = new FakeYoco({ retryScheduleMs: [0] })
const logger = new RecordingLogger()
let provider: YocoProviderService

function makeProvider(overrides: Record<string, unknown> = {}) {
  return new YocoProviderService(
    { logger },
    {
      secretKey: FakeYoco.TEST_KEY,
      webhookSecret: fake.webhookSecret,
      apiBaseUrl: fake.url,
      successUrl: "https://shop.example/checkout/{session_id}/paid",
      cancelUrl: "https://shop.example/cart",
      ...overrides,
    },
  )
}

async function errorOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run()
  } catch (error) {
    if (error instanceof Error) return error
  }
  throw new Error("expected an error")
}

const initiate = (sessionId = "payses_1", amount: number | string = 25) =>
  provider.initiatePayment({ amount, currency_code: "zar", data: { session_id: sessionId }, context: { idempotency_key: sessionId } })

function signed(event: FakeYocoEvent | Record<string, unknown>, secret = fake.webhookSecret) {
  const rawData = JSON.stringify(event)
  return {
    data: JSON.parse(rawData),
    rawData: Buffer.from(rawData),
    headers: signStandardWebhook({ id: "msg_1", payload: rawData, secret }),
  }
}

beforeAll(async () => {
  await fake.start()
  provider = makeProvider()
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.requests.length = 0
  logger.lines.length = 0
})

describe("YocoProviderService options", () => {
  it("is the `yoco` provider and fails at boot naming the option", () => {
    expect(YocoProviderService.identifier).toBe("yoco")
    expect(() => YocoProviderService.validateOptions({ secretKey: FakeYoco.TEST_KEY })).toThrow(
      "Required option `webhookSecret` is missing in the Yoco provider",
    )
    expect(() => YocoProviderService.validateOptions({ secretKey: FakeYoco.TEST_KEY, webhookSecret: fake.webhookSecret })).not.toThrow()
  })
})

describe("YocoProviderService payments", () => {
  it("initiates a ZAR checkout in cents, with the session id in metadata and URLs", async () => {
    const result = await initiate("payses_init", "19.99")
    expect(result.status).toBe("pending")
    expect(result.data).toEqual({
      checkout_id: result.id,
      redirect_url: expect.stringContaining(result.id),
      amount: 1999,
      currency: "ZAR",
      session_id: "payses_init",
      mode: "test",
    })
    expect(fake.checkout(result.id)).toMatchObject({
      amount: 1999,
      successUrl: "https://shop.example/checkout/payses_init/paid",
      cancelUrl: "https://shop.example/cart",
      failureUrl: undefined,
      metadata: { session_id: "payses_init", checkoutId: result.id },
    })
    expect((await initiate("payses_init", "19.99")).id).toBe(result.id)
  })

  it.each([
    ["a currency other than ZAR", { amount: 25, currency_code: "usd" }, "currency USD is not supported"],
    ["an amount below R2.00", { amount: 1.99, currency_code: "zar" }, "amount R1.99 is below Yoco's minimum of R2.00"],
  ])("refuses %s before any call to Yoco", async (_name, input, message) => {
    const error = await errorOf(() => provider.initiatePayment({ ...input, data: { session_id: "payses_x" } }))
    expect(error).toBeInstanceOf(MedusaError)
    expect(error.message).toContain(`Yoco initiatePayment: ${message}`)
    expect(fake.requests).toHaveLength(0)
  })

  it("keeps the checkout when the amount is unchanged and creates a new one when it changes", async () => {
    const { data } = await initiate("payses_upd")
    fake.requests.length = 0
    expect(await provider.updatePayment({ amount: 25, currency_code: "zar", data })).toEqual({ data })
    expect(fake.requests).toHaveLength(0)
    const updated = await provider.updatePayment({ amount: 30, currency_code: "zar", data })
    expect(updated.status).toBe("pending")
    expect(updated.data).toMatchObject({ amount: 3000, session_id: "payses_upd" })
    expect(updated.data?.checkout_id).not.toBe(data?.checkout_id)
  })

  it("authorizes as captured only once the checkout is paid, and never a cancelled session", async () => {
    const { id, data } = await initiate("payses_auth")
    expect((await provider.authorizePayment({ data })).status).toBe("pending")
    await fake.pay(id, { deliverTo: [] })
    const authorized = await provider.authorizePayment({ data })
    expect(authorized).toMatchObject({
      status: "captured",
      data: { checkout_status: "completed", payment_id: fake.checkout(id).paymentId },
    })
    expect((await provider.getPaymentStatus({ data })).status).toBe("captured")
    expect((await provider.capturePayment({ data })).data).toEqual(data)
    expect((await provider.retrievePayment({ data })).data).toMatchObject({ checkout_status: "completed" })

    // Paid: deleting or cancelling the session would hide money taken, so it is refused.
    await expect(provider.cancelPayment({ data })).rejects.toThrow(`Yoco cancelPayment refused: checkout ${id} was paid`)
    await expect(provider.deletePayment({ data })).rejects.toThrow(`Yoco deletePayment refused: checkout ${id} was paid`)
  })

  it("deletes a session whose checkout Yoco does not know (nothing was paid through it)", async () => {
    const { data } = await initiate("payses_unknown_checkout")
    expect((await provider.deletePayment({ data: { ...data, checkout_id: "ch_unknown_to_yoco" } })).data).toMatchObject({ canceled: true })
  })

  it("cancels an unpaid session without calling Yoco again, and never authorizes it afterwards", async () => {
    const { id, data } = await initiate("payses_cancel")
    const canceled = await provider.cancelPayment({ data })
    expect(canceled.data).toMatchObject({ canceled: true, checkout_id: id })
    fake.requests.length = 0
    expect((await provider.authorizePayment({ data: canceled.data })).status).toBe("canceled")
    expect(fake.requests).toHaveLength(0)
    expect((await provider.deletePayment({ data })).data).toMatchObject({ canceled: true })
  })

  it("records partial refunds as pending, once per Medusa refund", async () => {
    const { id, data } = await initiate("payses_refund", 100)
    await fake.pay(id, { deliverTo: [] })
    const first = await provider.refundPayment({ amount: 40, data, context: { idempotency_key: "ref_1" } })
    const replayed = await provider.refundPayment({ amount: 40, data: first.data, context: { idempotency_key: "ref_1" } })
    expect(replayed.data?.refunds).toEqual([
      { refund_id: expect.stringMatching(/^rf_/), status: "pending", amount: 4000, medusa_refund_id: "ref_1" },
    ])
    const second = await provider.refundPayment({ amount: 60, data: replayed.data, context: { idempotency_key: "ref_2" } })
    expect(second.data?.refunds).toHaveLength(2)
    expect(fake.checkout(id).refunds.map((refund) => refund.amount)).toEqual([4000, 6000])
  })

  it("raises a Yoco refusal as a MedusaError naming the operation", async () => {
    const { id, data } = await initiate("payses_refuse")
    await fake.pay(id, { deliverTo: [] })
    fake.allowTestModeRefunds = false
    try {
      const error = await errorOf(() => provider.refundPayment({ amount: 10, data }))
      expect(error).toBeInstanceOf(MedusaError)
      expect(error.message).toBe(
        "Yoco refundPayment failed: Yoco refundCheckout failed: HTTP 400 Test mode checkouts cannot be refunded (code test_mode_refund)",
      )
      expect(error.message).not.toContain(FakeYoco.TEST_KEY)
    } finally {
      fake.allowTestModeRefunds = true
    }
  })
})

describe("YocoProviderService.getWebhookActionAndData", () => {
  it("maps a verified payment.succeeded that echoes the session id to captured, after checking it against the checkout", async () => {
    const { id } = await initiate("payses_hook", 25)
    const { event } = await fake.pay(id, { deliverTo: [] })
    fake.requests.length = 0
    expect(await provider.getWebhookActionAndData(signed(event))).toEqual({
      action: "captured",
      data: { session_id: "payses_hook", amount: 25 },
      event_id: "msg_1",
      event_type: "payment.succeeded",
      currency_code: "zar",
      psp_reference: id,
      // The checkout carries this store's marker: a payment on it is ours even once Medusa deleted the session.
      created_here: true,
      session_data: { checkout_id: id, session_id: "payses_hook" },
    })
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /api/checkouts/${id}`])
  })

  it("marks a checkout created elsewhere for the same session id as not created here", async () => {
    const response = await fetch(`${fake.url}/checkouts`, {
      method: "POST",
      headers: { authorization: `Bearer ${FakeYoco.TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ amount: 2500, currency: "ZAR", metadata: { session_id: "payses_elsewhere" } }),
    })
    const { id } = (await response.json()) as { id: string }
    const { event } = await fake.pay(id, { deliverTo: [] })
    expect(await provider.getWebhookActionAndData(signed(event))).toMatchObject({
      action: "captured",
      data: { session_id: "payses_elsewhere" },
      created_here: false,
    })
  })

  it("sets aside an echoed session id or amount that contradicts the retrieved checkout, with a warning", async () => {
    const { id } = await initiate("payses_echo", 25)
    await fake.pay(id, { deliverTo: [] })
    fake.requests.length = 0
    const otherSession = fake.buildEvent("payment.succeeded", id, { metadata: { checkoutId: id, session_id: "payses_someone_else" } })
    expect(await provider.getWebhookActionAndData(signed(otherSession))).toEqual({
      action: "not_supported",
      event_id: "msg_1",
      event_type: "payment.succeeded",
      reason: `checkout ${id} was not created by this store (no matching session_id)`,
    })
    const cheaper = fake.buildEvent("payment.succeeded", id, { amount: 200 })
    expect(cheaper.payload.metadata.session_id).toBe("payses_echo")
    expect(await provider.getWebhookActionAndData(signed(cheaper))).toMatchObject({ action: "not_supported" })
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /api/checkouts/${id}`,
      `GET /api/checkouts/${id}`,
    ])
    expect(logger.lines.filter((line) => !line.startsWith("DEBUG "))).toEqual([
      expect.stringMatching(/^WARN .*no matching session_id/),
      expect.stringMatching(/^WARN .*payment of 200 ZAR differs from checkout .*'s 2500 ZAR/),
    ])
  })

  it("retrieves the checkout when the event carries only checkoutId", async () => {
    const { id } = await initiate("payses_lookup", 25)
    const { event } = await fake.pay(id, { deliverTo: [], overrides: { metadata: { checkoutId: id } } })
    fake.requests.length = 0
    expect(await provider.getWebhookActionAndData(signed(event))).toMatchObject({
      action: "captured",
      data: { session_id: "payses_lookup", amount: 25 },
    })
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET /api/checkouts/${id}`])
  })

  it("sets aside another integration's checkout, an unknown checkout and a mismatched amount, logging why", async () => {
    const foreign = (await new FakeYocoClient().create()).id
    const { event } = await fake.pay(foreign, { deliverTo: [] })
    expect(await provider.getWebhookActionAndData(signed(event))).toMatchObject({
      action: "not_supported",
      reason: expect.stringContaining("not created by this store"),
    })

    const unknown = fake.buildEvent("payment.succeeded", foreign, { metadata: { checkoutId: "ch_unknown" } })
    expect(await provider.getWebhookActionAndData(signed(unknown))).toMatchObject({
      action: "not_supported",
      reason: expect.stringContaining("unknown to this Yoco account"),
    })

    const { id } = await initiate("payses_mismatch", 25)
    const mismatched = fake.buildEvent("payment.succeeded", id, { amount: 200, metadata: { checkoutId: id } })
    expect(await provider.getWebhookActionAndData(signed(mismatched))).toMatchObject({
      action: "not_supported",
      reason: expect.stringContaining("differs from checkout"),
    })

    // Routine set-asides are the processor's to log; a signed event contradicting our own checkout is warned of here.
    expect(logger.lines.filter((line) => !line.startsWith("DEBUG "))).toEqual([expect.stringMatching(/^WARN .*differs from checkout/)])
    expect(logger.lines.join("\n")).not.toContain(fake.webhookSecret)
    expect(logger.lines.join("\n")).not.toContain("maskedCard")
  })

  it("sets aside a test-mode event when configured with a live key, without calling Yoco", async () => {
    const live = makeProvider({ secretKey: FakeYoco.LIVE_KEY })
    const { id } = await initiate("payses_mode", 25)
    const event = fake.buildEvent("payment.succeeded", id, { metadata: { checkoutId: id } })
    fake.requests.length = 0
    expect(await live.getWebhookActionAndData(signed(event))).toMatchObject({
      action: "not_supported",
      reason: expect.stringContaining('event mode "test" differs'),
    })
    expect(fake.requests).toHaveLength(0)
  })

  it("throws a typed error for a forged or re-parsed body", async () => {
    const { id } = await initiate("payses_forged", 25)
    const event = fake.buildEvent("payment.succeeded", id)
    const forged = await errorOf(() =>
      provider.getWebhookActionAndData(signed(event, `whsec_${Buffer.from("x".repeat(24)).toString("base64")}`)),
    )
    expect(isWebhookVerificationError(forged) && forged.reason).toBe("no_matching_signature")
    const parsed = { ...signed(event), rawData: JSON.parse(JSON.stringify(event)) }
    const notRaw = await errorOf(() => provider.getWebhookActionAndData(parsed))
    expect(isWebhookVerificationError(notRaw) && notRaw.reason).toBe("not_raw_body")
  })

  it("accepts the rotated secret and a Redis-serialised raw body", async () => {
    const rotated = makeProvider({ webhookSecret: [`whsec_${Buffer.from("o".repeat(24)).toString("base64")}`, fake.webhookSecret] })
    const { id } = await initiate("payses_rotated", 25)
    const event = fake.buildEvent("payment.succeeded", id)
    const delivery = signed(event)
    const serialised = { ...delivery, rawData: JSON.parse(JSON.stringify(delivery.rawData)) }
    expect(await rotated.getWebhookActionAndData(serialised)).toMatchObject({ action: "captured" })
  })

  it("fails (so the delivery can be retried) when Yoco is unavailable for the checkout lookup", async () => {
    const { id } = await initiate("payses_down", 25)
    const event = fake.buildEvent("payment.succeeded", id, { metadata: { checkoutId: id } })
    fake.failNext(3, 503)
    const error = await errorOf(() => provider.getWebhookActionAndData(signed(event)))
    expect(error).toBeInstanceOf(MedusaError)
    expect(error.message).toBe("Yoco reading the event's checkout failed: Yoco getCheckout failed: HTTP 503 Injected failure")
  })
})

/** Creates a checkout the way another integration on the same Yoco account would: no session id. */
class FakeYocoClient {
  async create(): Promise<{ id: string }> {
    const response = await fetch(`${fake.url}/checkouts`, {
      method: "POST",
      headers: { authorization: `Bearer ${FakeYoco.TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ amount: 5000, currency: "ZAR", metadata: { orderId: "other-shop-42" } }),
    })
    return response.json()
  }
}
