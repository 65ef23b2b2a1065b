import { createHash, randomUUID } from "node:crypto"
import { z } from "zod"
import {
  YocoCheckout,
  yocoCheckoutSchema,
  YocoCreateCheckoutInput,
  yocoErrorBodySchema,
  YocoRefundInput,
  YocoRefundResponse,
  yocoRefundResponseSchema,
  YocoRegisterWebhookInput,
  YocoWebhookRegistration,
  yocoWebhookRegistrationSchema,
  yocoWebhookListSchema,
  YocoWebhookSubscription,
} from "./types"

/** The Checkout API calls this client makes; every error names one. */
export type YocoOperation = "createCheckout" | "getCheckout" | "refundCheckout" | "registerWebhook" | "listWebhooks" | "deleteWebhook"

/** Settings of {@link YocoClient}. */
export type YocoClientConfig = {
  /** `sk_test_…` / `sk_live_…`; sent as a Bearer token, never put in an error or a log. */
  secretKey: string
  /** Default `https://payments.yoco.com/api`. */
  baseUrl?: string
  /** Per-attempt timeout in milliseconds (default 10 000). */
  timeoutMs?: number
  /** Retries after the first attempt, on network errors, timeouts, 5xx and 429 only (default 2). */
  maxRetries?: number
  /** First backoff delay in milliseconds, doubled on each retry (default 250). */
  retryBaseDelayMs?: number
  /** Largest backoff delay in milliseconds, also caps `Retry-After` (default 4 000). */
  retryMaxDelayMs?: number
  /** Injectable for tests; defaults to Node's global `fetch`. */
  fetch?: typeof fetch
  /** Injectable for tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>
  /** Injectable for tests; jitter source in [0, 1). */
  random?: () => number
}

/** Per-call options of a POST. */
export type YocoRequestOptions = {
  /**
   * A caller key (Medusa's idempotency key, plus whatever distinguishes the request). The
   * `Idempotency-Key` sent is derived from it, so a retried Medusa call replays Yoco's first answer
   * instead of creating a second checkout or refund. Without it, a random UUID per call (still
   * the same on each of the client's own retries).
   */
  idempotencyKey?: string
}

/** Per-call options of a read. */
export type YocoReadOptions = {
  /**
   * Cancels the call when it fires: the request in flight is aborted (its connection closed) and no
   * retry follows. The client's own per-attempt timeout still applies.
   */
  signal?: AbortSignal
}

/** A failed Checkout API call: the operation, the HTTP status (none for network errors) and Yoco's message. */
export class YocoApiError extends Error {
  override readonly name = "YocoApiError"

  constructor(
    readonly operation: YocoOperation,
    readonly status: number | undefined,
    message: string,
    readonly details: { yocoMessage?: string; yocoCode?: string; timedOut?: boolean; cause?: unknown } = {},
  ) {
    super(message)
  }

  /** Yoco's own error message, when it sent one. */
  get yocoMessage(): string | undefined {
    return this.details.yocoMessage
  }

  /** Yoco's error code, when it sent one. */
  get yocoCode(): string | undefined {
    return this.details.yocoCode
  }

  /** Worth retrying later: the request may not have reached Yoco, or Yoco was unavailable. */
  get retryable(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429
  }
}

/** True for a {@link YocoApiError}, also across module copies. */
export function isYocoApiError(error: unknown): error is YocoApiError {
  return error instanceof Error && error.name === "YocoApiError" && "operation" in error
}

/**
 * Derives the `Idempotency-Key` (UUID-shaped, as Yoco expects) from a caller key, per operation,
 * so the same Medusa key used for a checkout and for a refund can never collide.
 */
export function deriveIdempotencyKey(operation: YocoOperation, key: string): string {
  const hex = createHash("sha256").update(`medusa-payment-webhooks:${operation}:${key}`).digest("hex")
  // Version 5-style nibbles make it a well-formed RFC 4122 UUID.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

type RequestSpec<T> = {
  operation: YocoOperation
  method: "GET" | "POST" | "DELETE"
  path: string
  body?: unknown
  /** Validates the 2xx answer (`z.unknown()` when the body does not matter). */
  schema: z.ZodType<T>
  idempotencyKey?: string
  /** The caller's cancellation, beside the per-attempt timeout. */
  signal?: AbortSignal
}

/** A narrow, typed client of Yoco's Checkout API on Node's `fetch`. */
export class YocoClient {
  private readonly baseUrl: string
  private readonly timeoutMs: number
  private readonly maxRetries: number
  private readonly retryBaseDelayMs: number
  private readonly retryMaxDelayMs: number
  private readonly fetchImpl: typeof fetch
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number

  constructor(private readonly config: YocoClientConfig) {
    this.baseUrl = (config.baseUrl ?? "https://payments.yoco.com/api").replace(/\/+$/, "")
    this.timeoutMs = config.timeoutMs ?? 10_000
    this.maxRetries = config.maxRetries ?? 2
    this.retryBaseDelayMs = config.retryBaseDelayMs ?? 250
    this.retryMaxDelayMs = config.retryMaxDelayMs ?? 4_000
    this.fetchImpl = config.fetch ?? ((input, init) => fetch(input, init))
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.random = config.random ?? Math.random
  }

  /** Creates a checkout (`POST /checkouts`); the customer pays on its `redirectUrl`. */
  createCheckout(input: YocoCreateCheckoutInput, options: YocoRequestOptions = {}): Promise<YocoCheckout> {
    return this.request({
      operation: "createCheckout",
      method: "POST",
      path: "/checkouts",
      body: input,
      schema: yocoCheckoutSchema,
      ...options,
    })
  }

  /** Reads a checkout (`GET /checkouts/{id}`); `signal` cancels the read. */
  getCheckout(checkoutId: string, options: YocoReadOptions = {}): Promise<YocoCheckout> {
    return this.request({
      operation: "getCheckout",
      method: "GET",
      path: `/checkouts/${encodeURIComponent(checkoutId)}`,
      schema: yocoCheckoutSchema,
      signal: options.signal,
    })
  }

  /** Requests a full or partial refund (`POST /checkouts/{id}/refund`); the outcome arrives later as an event. */
  refundCheckout(checkoutId: string, input: YocoRefundInput = {}, options: YocoRequestOptions = {}): Promise<YocoRefundResponse> {
    const path = `/checkouts/${encodeURIComponent(checkoutId)}/refund`
    return this.request({ operation: "refundCheckout", method: "POST", path, body: input, schema: yocoRefundResponseSchema, ...options })
  }

  /** Registers a webhook endpoint (`POST /webhooks`); the answer carries the signing secret, once. */
  registerWebhook(input: YocoRegisterWebhookInput, options: YocoRequestOptions = {}): Promise<YocoWebhookRegistration> {
    return this.request({
      operation: "registerWebhook",
      method: "POST",
      path: "/webhooks",
      body: input,
      schema: yocoWebhookRegistrationSchema,
      ...options,
    })
  }

  /** Lists the account's webhook endpoints (`GET /webhooks`). */
  async listWebhooks(): Promise<YocoWebhookSubscription[]> {
    const list = await this.request({ operation: "listWebhooks", method: "GET", path: "/webhooks", schema: yocoWebhookListSchema })
    return list.subscriptions
  }

  /** Deletes a webhook endpoint (`DELETE /webhooks/{id}`). */
  async deleteWebhook(webhookId: string): Promise<void> {
    await this.request({
      operation: "deleteWebhook",
      method: "DELETE",
      path: `/webhooks/${encodeURIComponent(webhookId)}`,
      schema: z.unknown(),
    })
  }

  private async request<T>(spec: RequestSpec<T>): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.config.secretKey}`, Accept: "application/json" }
    if (spec.body !== undefined) {
      headers["Content-Type"] = "application/json"
    }
    if (spec.method === "POST") {
      // Computed once, before the loop: every retry of this call must carry the same key.
      headers["Idempotency-Key"] = spec.idempotencyKey ? deriveIdempotencyKey(spec.operation, spec.idempotencyKey) : randomUUID()
    }
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body)
    for (let attempt = 0; ; attempt++) {
      // A caller that gave up (during a backoff, say) gets no further attempt.
      if (spec.signal?.aborted) {
        throw this.canceledError(spec.operation, spec.signal)
      }
      const canRetry = attempt < this.maxRetries
      let status: number
      let text: string
      let retryAfter: string | null = null
      const timeout = AbortSignal.timeout(this.timeoutMs)
      try {
        const response = await this.fetchImpl(`${this.baseUrl}${spec.path}`, {
          method: spec.method,
          headers,
          body,
          signal: spec.signal ? AbortSignal.any([timeout, spec.signal]) : timeout,
        })
        status = response.status
        retryAfter = response.headers.get("retry-after")
        text = await response.text()
      } catch (error) {
        if (spec.signal?.aborted) {
          throw this.canceledError(spec.operation, spec.signal, error)
        }
        if (canRetry) {
          await this.sleep(this.backoff(attempt))
          continue
        }
        throw this.transportError(spec.operation, error)
      }
      if (status >= 200 && status < 300) {
        return this.parse(spec, status, text)
      }
      if ((status >= 500 || status === 429) && canRetry) {
        await this.sleep(this.backoff(attempt, retryAfter))
        continue
      }
      throw this.httpError(spec.operation, status, text)
    }
  }

  private parse<T>(spec: RequestSpec<T>, status: number, text: string): T {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    const result = spec.schema.safeParse(json)
    if (!result.success) {
      const path = result.error.issues[0]?.path.join(".") || "(body)"
      throw new YocoApiError(spec.operation, status, `Yoco ${spec.operation} returned an unexpected response (field \`${path}\`)`)
    }
    return result.data
  }

  /** Exponential backoff with jitter (half fixed, half random); `Retry-After` seconds win when given. */
  private backoff(attempt: number, retryAfter?: string | null): number {
    const seconds = retryAfter ? Number(retryAfter) : NaN
    if (Number.isFinite(seconds) && seconds >= 0) {
      return Math.min(seconds * 1000, this.retryMaxDelayMs)
    }
    const ceiling = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** attempt)
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random())
  }

  /** The caller canceled the call: its reason, never retried. */
  private canceledError(operation: YocoOperation, signal: AbortSignal, cause?: unknown): YocoApiError {
    const reason = errorField(signal.reason, "message") ?? "aborted"
    return new YocoApiError(operation, undefined, `Yoco ${operation} canceled: ${this.redact(reason).slice(0, 200)}`, {
      cause: cause ?? signal.reason,
    })
  }

  private transportError(operation: YocoOperation, error: unknown): YocoApiError {
    const name = errorField(error, "name")
    const timedOut = name === "TimeoutError" || name === "AbortError"
    const detail = timedOut ? `timed out after ${this.timeoutMs} ms` : `network error (${this.redact(describe(error))})`
    return new YocoApiError(operation, undefined, `Yoco ${operation} failed: ${detail}`, { timedOut, cause: error })
  }

  private httpError(operation: YocoOperation, status: number, text: string): YocoApiError {
    let parsed: z.output<typeof yocoErrorBodySchema> = {}
    try {
      parsed = yocoErrorBodySchema.parse(JSON.parse(text))
    } catch {
      parsed = {}
    }
    const rawMessage = parsed.displayMessage ?? parsed.message ?? parsed.errorMessage ?? parsed.description
    const yocoMessage = rawMessage === undefined ? undefined : this.redact(rawMessage).slice(0, 300)
    const code = parsed.code ?? parsed.errorCode ?? parsed.errorType
    const yocoCode = code === undefined ? undefined : this.redact(String(code)).slice(0, 100)
    const suffix = [yocoMessage, yocoCode && `(code ${yocoCode})`].filter(Boolean).join(" ")
    return new YocoApiError(operation, status, `Yoco ${operation} failed: HTTP ${status}${suffix ? ` ${suffix}` : ""}`, {
      yocoMessage,
      yocoCode,
    })
  }

  /** Defence in depth: an error text that echoes the key (a proxy, a debug page) must not carry it further. */
  private redact(text: string): string {
    return text.split(this.config.secretKey).join("[redacted]")
  }
}

/**
 * Reads `name` / `message` without `instanceof Error`: fetch's DOMException and undici's errors may
 * come from another realm (a VM context, as in jest), where `instanceof` is false.
 */
function errorField(error: unknown, field: "name" | "message"): string | undefined {
  if (typeof error !== "object" || error === null || !(field in error)) {
    return undefined
  }
  const value: unknown = Reflect.get(error, field)
  return typeof value === "string" ? value : undefined
}

/** `fetch failed` says nothing; its cause (ECONNREFUSED, …) does. */
function describe(error: unknown): string {
  const cause = typeof error === "object" && error !== null && "cause" in error ? errorField(error.cause, "message") : undefined
  return `${errorField(error, "message") ?? "unknown"}${cause ? `: ${cause}` : ""}`.slice(0, 200)
}
