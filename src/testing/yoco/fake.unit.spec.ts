import { createServer, IncomingHttpHeaders, Server } from "node:http"
import { AddressInfo } from "node:net"
import { verifyStandardWebhook } from "../../providers/base/standard-webhooks"
import { FakeYoco } from "."

/** A webhook endpoint that records what it receives and answers the queued statuses (then 200). */
class Receiver {
  readonly received: { headers: IncomingHttpHeaders; body: string }[] = []
  readonly statuses: number[] = []
  private server?: Server
  url = ""

  async start() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(Buffer.from(chunk))
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") })
      res.writeHead(this.statuses.shift() ?? 200).end()
    })
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/payment/yoco_yoco`
  }

  async stop() {
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }
}

const fake = new FakeYoco({ retryScheduleMs: [0, 10, 10, 10] })
const receiver = new Receiver()

async function api(path: string, init: { method?: string; body?: unknown; key?: string | null; idempotencyKey?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? FakeYoco.TEST_KEY}`
  if (init.idempotencyKey) headers["idempotency-key"] = init.idempotencyKey
  const response = await fetch(`${fake.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

const newCheckout = async (key = FakeYoco.TEST_KEY) =>
  (await api("/checkouts", { method: "POST", key, body: { amount: 2500, currency: "ZAR", metadata: { session_id: "payses_1" } } })).body

beforeAll(async () => {
  await fake.start()
  await receiver.start()
})
afterAll(async () => {
  await fake.stop()
  await receiver.stop()
})
beforeEach(() => {
  receiver.received.length = 0
  fake.state.webhooks.clear()
})

describe("FakeYoco API", () => {
  it("refuses requests without a known Bearer key", async () => {
    expect((await api("/webhooks", { key: null })).status).toBe(401)
    expect((await api("/webhooks", { key: "sk_test_unknown" })).status).toBe(401)
  })

  it("creates checkouts the way Yoco answers, and refuses non-ZAR or tiny amounts", async () => {
    const checkout = await newCheckout()
    expect(checkout).toMatchObject({ status: "created", amount: 2500, currency: "ZAR", processingMode: "test", paymentId: null })
    expect(checkout.id).toMatch(/^ch_/)
    expect(checkout.metadata).toEqual({ session_id: "payses_1", checkoutId: checkout.id })
    expect((await api("/checkouts", { method: "POST", body: { amount: 2500, currency: "USD" } })).status).toBe(400)
    expect((await api("/checkouts", { method: "POST", body: { amount: 199, currency: "ZAR" } })).status).toBe(400)
  })

  it("keeps test and live checkouts apart", async () => {
    const live = await newCheckout(FakeYoco.LIVE_KEY)
    expect(live.processingMode).toBe("live")
    expect((await api(`/checkouts/${live.id}`, { key: FakeYoco.TEST_KEY })).status).toBe(404)
    expect((await api(`/checkouts/${live.id}`, { key: FakeYoco.LIVE_KEY })).status).toBe(200)
  })

  it("replays the first answer for a repeated Idempotency-Key, changing nothing", async () => {
    const before = fake.state.checkouts.size
    const body = { amount: 2500, currency: "ZAR" }
    const first = await api("/checkouts", { method: "POST", body, idempotencyKey: "k-1" })
    const second = await api("/checkouts", { method: "POST", body: { ...body, amount: 9999 }, idempotencyKey: "k-1" })
    expect(second).toEqual(first)
    expect(fake.state.checkouts.size).toBe(before + 1)
    expect(fake.requests[fake.requests.length - 1]).toMatchObject({ replayed: true, idempotencyKey: "k-1" })
  })

  it("answers injected failures without changing anything", async () => {
    const before = fake.state.checkouts.size
    fake.failNext(1, 503)
    expect((await api("/checkouts", { method: "POST", body: { amount: 2500, currency: "ZAR" } })).status).toBe(503)
    expect(fake.state.checkouts.size).toBe(before)
  })

  it("registers, lists (without secrets) and deletes webhooks", async () => {
    const registered = (await api("/webhooks", { method: "POST", body: { name: "shop", url: receiver.url } })).body
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    expect(Buffer.from(registered.secret.slice(6), "base64")).toHaveLength(24)
    const listed = (await api("/webhooks")).body
    expect(listed.subscriptions).toEqual([{ id: registered.id, name: "shop", url: receiver.url, mode: "test" }])
    expect((await api(`/webhooks/${registered.id}`, { method: "DELETE" })).status).toBe(200)
    expect((await api("/webhooks")).body.subscriptions).toEqual([])
  })

  it("accepts a refund of a paid checkout with 202, within the refundable amount", async () => {
    const checkout = await newCheckout()
    expect((await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: {} })).status).toBe(409)
    await fake.pay(checkout.id, { deliverTo: [] })
    const refund = await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: { amount: 1000 } })
    expect(refund.status).toBe(202)
    expect(refund.body).toMatchObject({ id: checkout.id, status: "pending" })
    expect((await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: { amount: 1501 } })).status).toBe(400)
    expect((await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: {} })).status).toBe(202)
  })

  it("can refuse test-mode refunds, as real Yoco does", async () => {
    const checkout = await newCheckout()
    await fake.pay(checkout.id, { deliverTo: [] })
    fake.allowTestModeRefunds = false
    try {
      const refused = await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: {} })
      expect(refused).toEqual({ status: 400, body: { message: "Test mode checkouts cannot be refunded", errorCode: "test_mode_refund" } })
    } finally {
      fake.allowTestModeRefunds = true
    }
  })
})

describe("FakeYoco deliveries", () => {
  it("pays a checkout and delivers a signed payment.succeeded to every registered webhook", async () => {
    const registered = (await api("/webhooks", { method: "POST", body: { name: "shop", url: receiver.url } })).body
    const checkout = await newCheckout()
    const { event, deliveries } = await fake.pay(checkout.id)
    expect(fake.checkout(checkout.id)).toMatchObject({ status: "completed", paymentId: event.payload.id })
    expect(deliveries).toEqual([{ url: receiver.url, delivered: true, attempts: [expect.objectContaining({ status: 200 })] }])
    const [{ headers, body }] = receiver.received
    const verified = verifyStandardWebhook({ rawBody: body, headers, secrets: [registered.secret], toleranceSeconds: 180 })
    expect(verified.payload).toEqual(event)
    expect(event).toMatchObject({
      type: "payment.succeeded",
      payload: {
        type: "payment",
        amount: 2500,
        currency: "ZAR",
        status: "succeeded",
        mode: "test",
        paymentMethodDetails: { type: "card", card: { maskedCard: "************1111" } },
        metadata: { checkoutId: checkout.id, session_id: "payses_1" },
      },
    })
    expect(event.id).toMatch(/^evt_/)
    expect(event.payload.id).toMatch(/^p_/)
  })

  it("retries on non-2xx with the same webhook-id and a fresh signature each time", async () => {
    fake.subscribe(receiver.url)
    receiver.statuses.push(500, 503)
    const { deliveries } = await fake.pay((await newCheckout()).id)
    expect(deliveries[0].attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200])
    const ids = receiver.received.map((delivery) => delivery.headers["webhook-id"])
    expect(new Set(ids).size).toBe(1)
    for (const { headers, body } of receiver.received) {
      expect(verifyStandardWebhook({ rawBody: body, headers, secrets: [fake.webhookSecret], toleranceSeconds: 180 }).id).toBe(ids[0])
    }
  })

  it("stops after the compressed schedule when the endpoint keeps failing", async () => {
    receiver.statuses.push(500, 500, 500, 500)
    const { deliveries } = await fake.pay((await newCheckout()).id, { deliverTo: receiver.url })
    expect(deliveries[0]).toMatchObject({ delivered: false })
    expect(deliveries[0].attempts).toHaveLength(4)
  })

  it("delivers refund.succeeded / refund.failed for pending refunds", async () => {
    const checkout = await newCheckout()
    await fake.pay(checkout.id, { deliverTo: [] })
    const refund = (await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: { amount: 500 } })).body
    const succeeded = await fake.refundSucceeded(checkout.id, { deliverTo: receiver.url })
    expect(succeeded.event).toMatchObject({
      type: "refund.succeeded",
      payload: { id: refund.refundId, type: "refund", amount: 500, status: "succeeded" },
    })
    expect(fake.checkout(checkout.id).refunds[0].status).toBe("succeeded")
    await api(`/checkouts/${checkout.id}/refund`, { method: "POST", body: { amount: 500 } })
    const failed = await fake.refundFailed(checkout.id, { deliverTo: receiver.url })
    expect(failed.event).toMatchObject({ type: "refund.failed", payload: { status: "failed", metadata: { checkoutId: checkout.id } } })
    expect(receiver.received).toHaveLength(2)
  })

  it("lets a test build and deliver odd events: another mode, an old timestamp, another secret", async () => {
    const checkout = await newCheckout()
    const event = fake.buildEvent("payment.succeeded", checkout.id, { mode: "live", amount: 1 })
    expect(event.payload).toMatchObject({ mode: "live", amount: 1 })
    const old = Math.floor(Date.now() / 1000) - 200
    expect((await fake.deliver(receiver.url, event, { timestamp: old })).status).toBe(200)
    const [{ headers, body }] = receiver.received
    expect(headers["webhook-timestamp"]).toBe(String(old))
    expect(() => verifyStandardWebhook({ rawBody: body, headers, secrets: [fake.webhookSecret], toleranceSeconds: 180 })).toThrow(
      "outside the 180s tolerance",
    )
  })
})
