import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { customerRoutes } from "./api-customers"
import { paymentIntentRoutes } from "./api-payment-intents"
import { refundRoutes } from "./api-refunds"
import { StripeApiError, type StripeErrorPayload } from "./errors"
import { checkApiKey } from "./auth"
import { newId } from "./ids"
import { decodeForm, Params, type Form } from "./params"
import { matchRoute, render, type Route } from "./routes"
import type { StripeState } from "./state"

const ROUTES: readonly Route[] = [...paymentIntentRoutes, ...refundRoutes, ...customerRoutes]
/** Stripe keeps idempotency keys for 24 hours. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

/** One API call as the fake received it (never the API key). */
export type RecordedRequest = {
  method: string
  /** Path without the query string, e.g. `/v1/payment_intents/pi_…/capture`. */
  path: string
  /** Decoded form body (POST) or query (GET/DELETE). */
  body: Form
  idempotencyKey: string | null
  stripeVersion: string | null
  requestId: string
  /** The status answered; 0 when no answer was sent (see `closedByClient`). */
  status: number
  /** True when the answer was replayed from an earlier request with the same idempotency key. */
  replayed: boolean
  /**
   * True when the caller closed the connection while the request waited on an injected delay: it gave
   * up (a timeout, an abort), the request never ran and nothing was answered.
   */
  closedByClient?: true
}

/** A failure the next matching request(s) get instead of being run (e.g. a 500, to test retries). */
export type InjectedFailure = {
  method?: string
  /** Exact path or a pattern; any path when omitted. */
  path?: string | RegExp
  status: number
  /** How many matching requests fail (default 1). */
  times?: number
  /** Value of the `Stripe-Should-Retry` header, which the SDK obeys. */
  shouldRetry?: boolean
  /** Run the request, then answer the failure: Stripe did the thing, the caller hears it failed. */
  afterRunning?: boolean
}

/** A wait the next matching request(s) get before they run (a slow Stripe, to test what waits on it). */
export type InjectedDelay = {
  method?: string
  /** Exact path or a pattern; any path when omitted. */
  path?: string | RegExp
  /**
   * How long the request waits before it runs, in ms. A caller that closes the connection meanwhile
   * (it timed out, or aborted) ends the wait: the request is recorded with `closedByClient` and not run.
   */
  ms: number
  /** How many matching requests wait (default 1). */
  times?: number
  /** Wait after the request ran, before answering (Stripe did the thing; the caller has not heard yet). */
  afterRunning?: boolean
}

type StoredResponse = { path: string; params: string; status: number; body: string; requestId: string; at: number }
type Answer = { status: number; body: string; headers?: Record<string, string> }

/** The HTTP side of the fake: auth, form decoding, idempotency, routing, recording. */
export class FakeStripeServer {
  readonly requests: RecordedRequest[] = []
  private readonly idempotent = new Map<string, StoredResponse>()
  private readonly failureMatchers: InjectedFailure[] = []
  private readonly delayMatchers: InjectedDelay[] = []
  private server: Server | undefined
  private boundPort: number | undefined

  constructor(
    private readonly state: StripeState,
    private readonly apiKeys: readonly string[] | undefined,
  ) {}

  /** Listens on 127.0.0.1 at a free port; resolves with the port. */
  async listen(): Promise<number> {
    const server = createServer((req, res) => {
      // A request that dies mid-body (client gone) just drops its socket.
      this.handle(req, res).catch(() => res.destroy())
    })
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(0, "127.0.0.1", () => resolve())
    })
    const address: AddressInfo | string | null = server.address()
    if (address === null || typeof address === "string") {
      throw new Error("FakeStripe: the server has no TCP address")
    }
    this.boundPort = address.port
    return address.port
  }

  /** Stops listening and drops open connections (the SDK keeps sockets alive, so `close()` alone would hang). */
  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) {
      return
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  /** The bound port, once listening. */
  get port(): number | undefined {
    return this.boundPort
  }

  /** Makes the next `times` matching requests fail with `status` before they run. */
  injectFailure(failure: InjectedFailure): void {
    this.failureMatchers.push({ times: 1, ...failure })
  }

  /** Makes the next `times` matching requests wait `ms` before they run. */
  injectDelay(delay: InjectedDelay): void {
    this.delayMatchers.push({ times: 1, ...delay })
  }

  private takeFailure(method: string, path: string): InjectedFailure | undefined {
    return takeMatching(this.failureMatchers, method, path)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
    }
    const method = (req.method ?? "GET").toUpperCase()
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const path = url.pathname
    const form = decodeForm(method === "POST" ? Buffer.concat(chunks).toString("utf8") : url.search.slice(1))
    const stripeVersion = header(req, "stripe-version")
    const idempotencyKey = method === "POST" ? header(req, "idempotency-key") : null
    const requestId = newId("req")
    const record = (answer: Answer, replayed = false) => {
      this.requests.push({ method, path, body: form, idempotencyKey, stripeVersion, requestId, status: answer.status, replayed })
      send(res, answer, { requestId, stripeVersion: stripeVersion ?? this.state.apiVersion, idempotencyKey })
    }

    const authError = checkApiKey(header(req, "authorization"), this.apiKeys)
    if (authError) {
      return record(errorAnswer(authError))
    }
    const params = canonical(form)
    const stored = idempotencyKey ? this.storedFor(idempotencyKey) : undefined
    if (stored) {
      return record(this.replay(stored, path, params, idempotencyKey ?? ""), stored.path === path && stored.params === params)
    }
    const delay = takeMatching(this.delayMatchers, method, path)
    if (delay && !delay.afterRunning && (await closedWithin(res, delay.ms))) {
      this.requests.push({
        method,
        path,
        body: form,
        idempotencyKey,
        stripeVersion,
        requestId,
        status: 0,
        replayed: false,
        closedByClient: true,
      })
      return
    }
    const failure = this.takeFailure(method, path)
    if (failure?.afterRunning) {
      this.run(method, path, form, { id: requestId, idempotency_key: idempotencyKey }, stripeVersion)
    }
    if (failure) {
      if (failure.afterRunning && delay?.afterRunning) {
        // Stripe did the thing, took its time, and then the caller heard it fail (a timeout on our side).
        await new Promise((resolve) => setTimeout(resolve, delay.ms))
      }
      const answer = errorAnswer(
        new StripeApiError(failure.status, { type: "api_error", message: "An unknown error occurred (injected by FakeStripe)." }, false),
      )
      if (failure.shouldRetry !== undefined) {
        answer.headers = { "Stripe-Should-Retry": String(failure.shouldRetry) }
      }
      return record(answer)
    }
    const { answer, executed } = this.run(method, path, form, { id: requestId, idempotency_key: idempotencyKey }, stripeVersion)
    if (idempotencyKey && executed) {
      this.idempotent.set(idempotencyKey, { path, params, status: answer.status, body: answer.body, requestId, at: this.state.nowMs() })
    }
    if (delay?.afterRunning) {
      await new Promise((resolve) => setTimeout(resolve, delay.ms))
    }
    record(answer)
  }

  private run(
    method: string,
    path: string,
    form: Form,
    request: { id: string; idempotency_key: string | null },
    stripeVersion: string | null,
  ): { answer: Answer; executed: boolean } {
    const match = matchRoute(ROUTES, method, path)
    if (!match) {
      const message =
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at ` +
        "https://support.stripe.com/."
      return { answer: errorAnswer(new StripeApiError(404, { type: "invalid_request_error", message }, false)), executed: false }
    }
    try {
      const params = new Params(form)
      const context = { state: this.state, params, ids: match.ids, request, stripeVersion: stripeVersion ?? this.state.apiVersion }
      const result = match.route.handle(context)
      return { answer: { status: 200, body: json(render(this.state, result, params.expand())) }, executed: true }
    } catch (error) {
      if (error instanceof StripeApiError) {
        return { answer: errorAnswer(error), executed: error.executed }
      }
      // A bug in the fake (or a test-side misuse) surfaces as a 500 with the cause in the message, and
      // `Stripe-Should-Retry: false` so the SDK reports it at once instead of retrying with back-off.
      const message = `FakeStripe internal error: ${error instanceof Error ? error.message : String(error)}`
      const answer = errorAnswer(new StripeApiError(500, { type: "api_error", message }, false))
      answer.headers = { "Stripe-Should-Retry": "false" }
      return { answer, executed: false }
    }
  }

  private storedFor(key: string): StoredResponse | undefined {
    const stored = this.idempotent.get(key)
    if (stored && this.state.nowMs() - stored.at > IDEMPOTENCY_TTL_MS) {
      this.idempotent.delete(key)
      return undefined
    }
    return stored
  }

  /** The first answer again, or Stripe's `idempotency_error` when the key is reused for something else. */
  private replay(stored: StoredResponse, path: string, params: string, key: string): Answer {
    if (stored.path !== path) {
      return errorAnswer(
        new StripeApiError(400, {
          type: "idempotency_error",
          message:
            `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
            `('${stored.path}' vs '${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        }),
      )
    }
    if (stored.params !== params) {
      return errorAnswer(
        new StripeApiError(400, {
          type: "idempotency_error",
          message:
            "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
            `Try using a key other than '${key}' if you meant to execute a different request.`,
        }),
      )
    }
    return { status: stored.status, body: stored.body, headers: { "Idempotent-Replayed": "true", "Original-Request": stored.requestId } }
  }
}

/**
 * Waits `ms`, or less if the caller closes the connection first: true when it did (a hung Stripe whose
 * caller aborted holds no timer, and the test sees the abort).
 */
function closedWithin(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer)
      resolve(true)
    }
    const timer = setTimeout(() => {
      res.off("close", onClose)
      resolve(false)
    }, ms)
    res.once("close", onClose)
  })
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name]
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
}

/** Stripe pretty-prints its JSON with two spaces. */
function json(value: object): string {
  return JSON.stringify(value, null, 2)
}

function errorAnswer(error: StripeApiError): Answer {
  const payload: StripeErrorPayload = error.payload
  return { status: error.status, body: json({ error: payload }) }
}

/** Parameters in a key-order-independent form, to compare an idempotent retry with the first request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(",")}]`
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

function send(
  res: ServerResponse,
  answer: Answer,
  meta: { requestId: string; stripeVersion: string; idempotencyKey: string | null },
): void {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(answer.body)),
    "Request-Id": meta.requestId,
    "Stripe-Version": meta.stripeVersion,
    ...answer.headers,
  }
  if (meta.idempotencyKey) {
    headers["Idempotency-Key"] = meta.idempotencyKey
  }
  res.writeHead(answer.status, headers)
  res.end(answer.body)
}

/** The first injected failure or delay that matches the request and has uses left; counts one use. */
function takeMatching<T extends { method?: string; path?: string | RegExp; times?: number }>(
  matchers: T[],
  method: string,
  path: string,
): T | undefined {
  const found = matchers.find(
    (matcher) =>
      (matcher.times ?? 1) > 0 &&
      (!matcher.method || matcher.method.toUpperCase() === method) &&
      (!matcher.path || (typeof matcher.path === "string" ? matcher.path === path : matcher.path.test(path))),
  )
  if (found) {
    found.times = (found.times ?? 1) - 1
  }
  return found
}
