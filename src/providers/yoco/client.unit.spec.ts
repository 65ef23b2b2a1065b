import { FakeYoco } from "../../testing/yoco"
import { deriveIdempotencyKey, isYocoApiError, YocoApiError, YocoClient, YocoClientConfig } from "./client"

const fake = new FakeYoco()
const sleeps: number[] = []

function client(overrides: Partial<YocoClientConfig> = {}) {
  return new YocoClient({
    secretKey: FakeYoco.TEST_KEY,
    baseUrl: fake.url,
    retryBaseDelayMs: 1,
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  })
}

async function failure(promise: Promise<unknown>): Promise<YocoApiError> {
  try {
    await promise
  } catch (error) {
    if (isYocoApiError(error)) return error
    throw error
  }
  throw new Error("expected a YocoApiError")
}

const checkoutInput = { amount: 1999, currency: "ZAR" as const, metadata: { session_id: "payses_1" } }

beforeAll(() => fake.start())
afterAll(() => fake.stop())
beforeEach(() => {
  fake.requests.length = 0
  sleeps.length = 0
})

describe("YocoClient", () => {
  it("creates and reads a checkout with Bearer auth", async () => {
    const created = await client().createCheckout(checkoutInput)
    expect(created).toMatchObject({
      status: "created",
      amount: 1999,
      currency: "ZAR",
      metadata: { session_id: "payses_1", checkoutId: created.id },
    })
    expect(created.redirectUrl).toContain(created.id)
    expect((await client().getCheckout(created.id)).id).toBe(created.id)
  })

  it("sends a derived, deterministic Idempotency-Key, so a repeated call replays the first checkout", async () => {
    const first = await client().createCheckout(checkoutInput, { idempotencyKey: "payses_1" })
    const second = await client().createCheckout(checkoutInput, { idempotencyKey: "payses_1" })
    expect(second.id).toBe(first.id)
    expect(fake.requests.map((request) => request.idempotencyKey)).toEqual([
      deriveIdempotencyKey("createCheckout", "payses_1"),
      deriveIdempotencyKey("createCheckout", "payses_1"),
    ])
    expect(fake.requests[1].replayed).toBe(true)
    expect(deriveIdempotencyKey("createCheckout", "payses_1")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(deriveIdempotencyKey("refundCheckout", "payses_1")).not.toBe(deriveIdempotencyKey("createCheckout", "payses_1"))
  })

  it("sends a random UUID without a caller key, so two calls make two checkouts", async () => {
    const first = await client().createCheckout(checkoutInput)
    const second = await client().createCheckout(checkoutInput)
    expect(second.id).not.toBe(first.id)
    expect(fake.requests[0].idempotencyKey).not.toBe(fake.requests[1].idempotencyKey)
  })

  it("retries 503 with backoff and the same Idempotency-Key, creating one checkout", async () => {
    fake.failNext(2, 503)
    const before = fake.state.checkouts.size
    const created = await client().createCheckout(checkoutInput)
    expect(fake.requests.map((request) => request.status)).toEqual([503, 503, 200])
    expect(new Set(fake.requests.map((request) => request.idempotencyKey)).size).toBe(1)
    expect(fake.state.checkouts.size).toBe(before + 1)
    expect(created.status).toBe("created")
    expect(sleeps).toHaveLength(2)
    expect(sleeps[1]).toBeGreaterThanOrEqual(1)
  })

  it("retries 429 and honours Retry-After up to the cap", async () => {
    fake.failNext(1, 429)
    await client().listWebhooks()
    expect(fake.requests.map((request) => request.status)).toEqual([429, 200])
  })

  it("gives up after maxRetries with an error naming the operation and the status", async () => {
    fake.failNext(3, 502)
    const error = await failure(client({ maxRetries: 2 }).getCheckout("ch_missing"))
    expect(fake.requests).toHaveLength(3)
    expect(error).toMatchObject({ operation: "getCheckout", status: 502, retryable: true })
    expect(error.message).toBe("Yoco getCheckout failed: HTTP 502 Injected failure")
  })

  it("does not retry a 400, and surfaces Yoco's message and code", async () => {
    const error = await failure(client().createCheckout({ ...checkoutInput, amount: 100 }))
    expect(fake.requests).toHaveLength(1)
    expect(error).toMatchObject({ operation: "createCheckout", status: 400, retryable: false, yocoCode: "invalid_amount" })
    expect(error.message).toContain("Yoco createCheckout failed: HTTP 400")
    expect(error.yocoMessage).toContain("at least 200")
  })

  it("does not retry a 404", async () => {
    const error = await failure(client().getCheckout("ch_nope"))
    expect(fake.requests).toHaveLength(1)
    expect(error.status).toBe(404)
  })

  it("times out an attempt and reports it without retrying when retries are off", async () => {
    fake.delayNext(1, 300)
    const error = await failure(client({ timeoutMs: 50, maxRetries: 0 }).listWebhooks())
    expect(error).toMatchObject({ operation: "listWebhooks", status: undefined, retryable: true })
    expect(error.details.timedOut).toBe(true)
    expect(error.message).toBe("Yoco listWebhooks failed: timed out after 50 ms")
    await new Promise((resolve) => setTimeout(resolve, 300)) // let the fake answer before the next test
  })

  it("retries a timed-out POST with the same Idempotency-Key: one checkout, the first answer", async () => {
    fake.delayNext(1, 200)
    const before = fake.state.checkouts.size
    const created = await client({ timeoutMs: 50, maxRetries: 1 }).createCheckout(checkoutInput, { idempotencyKey: "payses_slow" })
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(fake.state.checkouts.size).toBe(before + 1)
    expect(fake.state.checkouts.has(created.id)).toBe(true)
    const posts = fake.requests.filter((request) => request.method === "POST")
    expect(posts.length).toBeGreaterThanOrEqual(2)
    expect(new Set(posts.map((request) => request.idempotencyKey)).size).toBe(1)
  })

  it("cancels a read when the caller's signal fires: the request is aborted and never retried", async () => {
    const created = await client().createCheckout(checkoutInput)
    fake.requests.length = 0
    const controller = new AbortController()
    const seen: Array<AbortSignal | null | undefined> = []
    // A Yoco that never answers: the request ends only when its signal fires.
    const hangingFetch: typeof fetch = (_input, init) => {
      seen.push(init?.signal)
      return new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)))
    }
    const read = client({ fetch: hangingFetch, timeoutMs: 60_000 }).getCheckout(created.id, { signal: controller.signal })
    controller.abort(new Error("the admin's deadline passed"))
    const error = await failure(read)
    expect(error.message).toBe("Yoco getCheckout canceled: the admin's deadline passed")
    expect(seen).toHaveLength(1)
    expect(seen[0]?.aborted).toBe(true)
    expect(sleeps).toEqual([])

    // Already aborted: no request at all.
    await expect(failure(client().getCheckout(created.id, { signal: controller.signal }))).resolves.toMatchObject({
      operation: "getCheckout",
    })
    expect(fake.requests).toHaveLength(0)
  })

  it("reports a network error (nothing listening) after retrying", async () => {
    const error = await failure(client({ baseUrl: "http://127.0.0.1:9/api", maxRetries: 1 }).getCheckout("ch_1"))
    expect(sleeps).toHaveLength(1)
    expect(error.status).toBeUndefined()
    expect(error.message).toMatch(/^Yoco getCheckout failed: network error/)
  })

  it("never puts the secret key in an error, even when Yoco echoes it", async () => {
    const unauthorized = await failure(client({ secretKey: "sk_test_not_a_known_key" }).getCheckout("ch_1"))
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.message).not.toContain("sk_test_not_a_known_key")
    const echoing: typeof fetch = async () => new Response(JSON.stringify({ message: `bad key ${FakeYoco.TEST_KEY}` }), { status: 403 })
    const error = await failure(client({ fetch: echoing }).getCheckout("ch_1"))
    expect(error.message).toBe("Yoco getCheckout failed: HTTP 403 bad key [redacted]")
    expect(JSON.stringify(error.details)).not.toContain(FakeYoco.TEST_KEY)
  })

  it("refuses an answer of the wrong shape", async () => {
    const odd: typeof fetch = async () => new Response(JSON.stringify({ hello: "world" }), { status: 200 })
    const error = await failure(client({ fetch: odd }).getCheckout("ch_1"))
    expect(error.message).toBe("Yoco getCheckout returned an unexpected response (field `id`)")
  })

  it("requests a refund (202) and manages webhooks", async () => {
    const checkout = await client().createCheckout(checkoutInput)
    await fake.pay(checkout.id)
    const refund = await client().refundCheckout(checkout.id, { amount: 500 }, { idempotencyKey: "ref_1" })
    expect(refund).toMatchObject({ id: checkout.id, status: "pending" })
    expect(refund.refundId).toMatch(/^rf_/)

    const registered = await client().registerWebhook({ name: "medusa", url: "https://shop.example/hooks/payment/yoco_yoco" })
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    const listed = await client().listWebhooks()
    expect(listed.find((webhook) => webhook.id === registered.id)).toEqual({
      id: registered.id,
      name: "medusa",
      url: "https://shop.example/hooks/payment/yoco_yoco",
      mode: "test",
    })
    await client().deleteWebhook(registered.id)
    expect((await client().listWebhooks()).some((webhook) => webhook.id === registered.id)).toBe(false)
  })
})
