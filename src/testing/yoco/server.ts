import { createServer, IncomingMessage, Server, ServerResponse } from "node:http"
import { AddressInfo } from "node:net"
import {
  buildEvent,
  deliverOnce,
  DeliverOptions,
  DeliveryAttempt,
  DeliveryReport,
  deliverWithRetries,
  FakeEventOverrides,
  FakeEventType,
  FakeYocoEvent,
} from "./delivery"
import { FakeAnswer, FakeCheckout, FakeWebhook, FakeYocoState, isRecord, modeOf, newId, newWebhookSecret } from "./state"

/** Settings of {@link FakeYoco}. */
export type FakeYocoOptions = {
  /** Accepted Bearer keys (default: {@link FakeYoco.TEST_KEY} and {@link FakeYoco.LIVE_KEY}). */
  secretKeys?: readonly string[]
  /** Secret used by `subscribe()` and by deliveries to `deliverTo` URLs (default: a fresh `whsec_`). */
  webhookSecret?: string
  /** Yoco's delivery schedule, compressed (default [0, 50, 100, 200]: four attempts). */
  retryScheduleMs?: readonly number[]
  /** Real Yoco refuses to refund test-mode checkouts; the fake allows it unless this is false. */
  allowTestModeRefunds?: boolean
}

/** Options of `pay`, `refundSucceeded` and `refundFailed`. */
export type FakeDeliveryTarget = {
  /** Deliver here (signed with the fake's `webhookSecret`) instead of to the registered webhooks. */
  deliverTo?: string | readonly string[]
  /** Change fields of the event (amount, mode, metadata…). */
  overrides?: FakeEventOverrides
}

/** What a test control did: the event and one report per endpoint. */
export type FakeDeliveryResult = { event: FakeYocoEvent; deliveries: DeliveryReport[] }

type Fault = { status?: number; delayMs?: number; afterRunning?: boolean; path?: RegExp }

/** Where a delay applies: only requests whose path matches, and after Yoco did the work (the caller has not heard yet). */
export type FakeDelayOptions = { path?: RegExp; afterRunning?: boolean }

/**
 * A loopback fake of Yoco's Checkout API (`/api/checkouts`, refunds, `/api/webhooks`) on a real
 * `node:http` server, plus test controls that pay a checkout and deliver the signed events the way
 * Yoco does. Its `url` is the `apiBaseUrl` to configure.
 */
export class FakeYoco {
  static readonly TEST_KEY = "sk_test_fake_yoco_0123456789"
  static readonly LIVE_KEY = "sk_live_fake_yoco_0123456789"

  readonly state = new FakeYocoState()
  readonly webhookSecret: string
  readonly retryScheduleMs: readonly number[]
  allowTestModeRefunds: boolean
  private readonly secretKeys: ReadonlySet<string>
  private readonly faults: Fault[] = []
  private server?: Server
  private origin = ""

  constructor(options: FakeYocoOptions = {}) {
    this.secretKeys = new Set(options.secretKeys ?? [FakeYoco.TEST_KEY, FakeYoco.LIVE_KEY])
    this.webhookSecret = options.webhookSecret ?? newWebhookSecret()
    this.retryScheduleMs = options.retryScheduleMs ?? [0, 50, 100, 200]
    this.allowTestModeRefunds = options.allowTestModeRefunds ?? true
  }

  /** Listens on 127.0.0.1, on a free port. */
  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    this.server = server
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return this
  }

  /** Closes the server (and any kept-alive connection). */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  /** The `apiBaseUrl` to give the provider and the client. */
  get url(): string {
    return `${this.origin}/api`
  }

  /** Every request answered so far. */
  get requests() {
    return this.state.requests
  }

  /** The next `count` requests get `status` (nothing changes at the fake), e.g. 503 or 429. */
  failNext(count: number, status = 503): void {
    for (let i = 0; i < count; i++) this.faults.push({ status })
  }

  /**
   * The next `count` requests (matching `path`, when given) are answered only after `ms` milliseconds:
   * before they run (to trigger timeouts), or with `afterRunning` once Yoco did the work (a slow answer).
   */
  delayNext(count: number, ms: number, options: FakeDelayOptions = {}): void {
    for (let i = 0; i < count; i++) this.faults.push({ delayMs: ms, ...options })
  }

  /** The first fault waiting for a request to `path`, taken off the queue. */
  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => !fault.path || fault.path.test(path))
    return index < 0 ? undefined : this.faults.splice(index, 1)[0]
  }

  /** A stored checkout (with its refunds), whatever its mode. */
  checkout(checkoutId: string): FakeCheckout {
    const checkout = this.state.checkouts.get(checkoutId)
    if (!checkout) throw new Error(`FakeYoco: no checkout ${checkoutId}`)
    return checkout
  }

  /** Registers a webhook endpoint signed with the known `webhookSecret` (a test shortcut for `POST /webhooks`). */
  subscribe(url: string, options: { name?: string; mode?: "live" | "test" } = {}): FakeWebhook {
    const webhook: FakeWebhook = {
      id: newId("sub"),
      name: options.name ?? "test",
      url,
      mode: options.mode ?? "test",
      secret: this.webhookSecret,
    }
    this.state.webhooks.set(webhook.id, webhook)
    return webhook
  }

  /** The customer pays: the checkout becomes `completed` and `payment.succeeded` is delivered. */
  async pay(checkoutId: string, target: FakeDeliveryTarget = {}): Promise<FakeDeliveryResult> {
    const checkout = this.checkout(checkoutId)
    if (checkout.status === "completed") throw new Error(`FakeYoco: checkout ${checkoutId} is already paid`)
    checkout.status = "completed"
    checkout.paymentId = newId("p")
    return this.send(buildEvent("payment.succeeded", checkout, { overrides: target.overrides }), target)
  }

  /** Yoco settles the checkout's pending refund (the latest one unless `refundId` is given). */
  refundSucceeded(checkoutId: string, target: FakeDeliveryTarget & { refundId?: string } = {}): Promise<FakeDeliveryResult> {
    return this.settleRefund("refund.succeeded", checkoutId, target)
  }

  /** Yoco gives up on the checkout's pending refund. */
  refundFailed(checkoutId: string, target: FakeDeliveryTarget & { refundId?: string } = {}): Promise<FakeDeliveryResult> {
    return this.settleRefund("refund.failed", checkoutId, target)
  }

  /** Builds an event for a stored checkout without delivering it. */
  buildEvent(type: FakeEventType, checkoutId: string, overrides?: FakeEventOverrides): FakeYocoEvent {
    const checkout = this.checkout(checkoutId)
    return buildEvent(type, checkout, { refund: checkout.refunds[checkout.refunds.length - 1], overrides })
  }

  /** One signed POST of `event` to `url` (default secret: `webhookSecret`); no retries. */
  deliver(url: string, event: FakeYocoEvent, options: DeliverOptions = {}): Promise<DeliveryAttempt> {
    return deliverOnce(url, event, options.secret ?? this.webhookSecret, options)
  }

  private async settleRefund(
    type: "refund.succeeded" | "refund.failed",
    checkoutId: string,
    target: FakeDeliveryTarget & { refundId?: string },
  ) {
    const checkout = this.checkout(checkoutId)
    const refund = target.refundId
      ? checkout.refunds.find((candidate) => candidate.refundId === target.refundId)
      : [...checkout.refunds].reverse().find((candidate) => candidate.status === "pending")
    if (!refund) throw new Error(`FakeYoco: no pending refund on checkout ${checkoutId}`)
    refund.status = type === "refund.succeeded" ? "succeeded" : "failed"
    return this.send(buildEvent(type, checkout, { refund, overrides: target.overrides }), target)
  }

  private async send(event: FakeYocoEvent, target: FakeDeliveryTarget): Promise<FakeDeliveryResult> {
    const endpoints = target.deliverTo
      ? (typeof target.deliverTo === "string" ? [target.deliverTo] : target.deliverTo).map((url) => ({ url, secret: this.webhookSecret }))
      : // Yoco sends every event of the account, live and test, to every registered endpoint.
        [...this.state.webhooks.values()]
    const deliveries = await Promise.all(endpoints.map(({ url, secret }) => deliverWithRetries(url, event, secret, this.retryScheduleMs)))
    return { event, deliveries }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(Buffer.from(chunk))
    const text = Buffer.concat(chunks).toString("utf8")
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    const method = req.method ?? "GET"
    const path = (req.url ?? "/").split("?")[0]
    const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined
    const { answer, replayed, injected } = await this.answer(req, method, path, body, idempotencyKey)
    this.state.requests.push({ method, path, status: answer.status, idempotencyKey, replayed, injected, body })
    if (res.destroyed) return
    res.writeHead(answer.status, { "content-type": "application/json" })
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body))
  }

  private async answer(req: IncomingMessage, method: string, path: string, body: unknown, idempotencyKey: string | undefined) {
    const fault = this.takeFault(path)
    if (fault?.afterRunning) {
      const ran = this.run(req, method, path, body, idempotencyKey)
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
      return ran
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault?.status) {
      return { answer: { status: fault.status, body: { message: "Injected failure" } }, replayed: false, injected: true }
    }
    return this.run(req, method, path, body, idempotencyKey)
  }

  private run(req: IncomingMessage, method: string, path: string, body: unknown, idempotencyKey: string | undefined) {
    const auth = req.headers.authorization ?? ""
    const key = auth.startsWith("Bearer ") ? auth.slice(7) : ""
    if (!this.secretKeys.has(key)) {
      return { answer: { status: 401, body: { message: "Unauthorized" } }, replayed: false, injected: false }
    }
    const scope = idempotencyKey && method === "POST" ? `${key}:${idempotencyKey}` : undefined
    const earlier = scope ? this.state.idempotent.get(scope) : undefined
    if (earlier) {
      return { answer: earlier, replayed: true, injected: false }
    }
    const answer = this.route(method, path, isRecord(body) ? body : {}, modeOf(key))
    if (scope && answer.status < 500) this.state.idempotent.set(scope, answer)
    return { answer, replayed: false, injected: false }
  }

  private route(method: string, path: string, body: Record<string, unknown>, mode: "live" | "test"): FakeAnswer {
    const parts = path
      .replace(/^\/api\/?/, "")
      .split("/")
      .filter(Boolean)
      .map(decodeURIComponent)
    const [collection, id, action] = parts
    if (collection === "checkouts" && method === "POST" && parts.length === 1) {
      return this.state.createCheckout(body, mode, `${this.origin}/pay`)
    }
    if (collection === "checkouts" && method === "GET" && parts.length === 2) {
      const checkout = this.state.find(id, mode)
      return checkout ? { status: 200, body: this.state.view(checkout) } : { status: 404, body: { message: "Checkout not found" } }
    }
    if (collection === "checkouts" && method === "POST" && action === "refund" && parts.length === 3) {
      return this.state.refund(id, body, mode, this.allowTestModeRefunds)
    }
    if (collection === "webhooks" && parts.length === 1 && method === "POST") {
      return this.state.registerWebhook(body, mode, newWebhookSecret())
    }
    if (collection === "webhooks" && parts.length === 1 && method === "GET") {
      return this.state.listWebhooks()
    }
    if (collection === "webhooks" && parts.length === 2 && method === "DELETE") {
      return this.state.deleteWebhook(id)
    }
    return { status: 404, body: { message: `No route ${method} ${path}` } }
  }
}
