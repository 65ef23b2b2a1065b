import { randomBytes } from "node:crypto"
import { isRecord } from "../../lib/records"

export { isRecord }

/** `live` or `test`, from the key that made the call. */
export type FakeMode = "live" | "test"

/** A refund request and its outcome (decided by the test through `refundSucceeded` / `refundFailed`). */
export type FakeRefund = {
  refundId: string
  checkoutId: string
  /** Cents. */
  amount: number
  status: "pending" | "succeeded" | "failed"
}

/** A checkout as the fake stores it. */
export type FakeCheckout = {
  id: string
  redirectUrl: string
  status: "created" | "completed"
  /** Cents. */
  amount: number
  currency: string
  paymentId: string | null
  successUrl?: string
  cancelUrl?: string
  failureUrl?: string
  /** What the caller sent, plus `checkoutId` (as Yoco adds it). */
  metadata: Record<string, unknown>
  externalId?: string
  processingMode: FakeMode
  refunds: FakeRefund[]
}

/** A registered webhook endpoint. */
export type FakeWebhook = { id: string; name: string; url: string; mode: FakeMode; secret: string }

/** One HTTP request the fake answered. */
export type LoggedRequest = {
  method: string
  path: string
  status: number
  idempotencyKey?: string
  /** True when the answer is a replay of an earlier one with the same Idempotency-Key. */
  replayed: boolean
  /** True when the answer was forced by `failNext`. */
  injected: boolean
  body: unknown
}

/** An HTTP answer. */
export type FakeAnswer = { status: number; body: unknown }

/** Yoco-style ids: a prefix and 24 hex characters. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`
}

/** A signing secret as `POST /webhooks` returns it: `whsec_` + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`
}

/** The mode a key acts in. */
export function modeOf(secretKey: string): FakeMode {
  return secretKey.startsWith("sk_live_") ? "live" : "test"
}

/** The smallest checkout Yoco accepts, in cents (R2.00). */
export const MIN_AMOUNT = 200

const error = (status: number, message: string, errorCode?: string): FakeAnswer => ({
  status,
  body: { message, ...(errorCode ? { errorCode } : {}) },
})

/** What the fake remembers: checkouts, webhooks and idempotent answers. */
export class FakeYocoState {
  readonly checkouts = new Map<string, FakeCheckout>()
  readonly webhooks = new Map<string, FakeWebhook>()
  readonly idempotent = new Map<string, FakeAnswer>()
  readonly requests: LoggedRequest[] = []

  /** Public JSON of a checkout, as Yoco answers it. */
  view(checkout: FakeCheckout): Record<string, unknown> {
    const { refunds: _refunds, ...rest } = checkout
    return { ...rest }
  }

  /** `POST /checkouts`. */
  createCheckout(input: Record<string, unknown>, mode: FakeMode, payPageBase: string): FakeAnswer {
    const { amount, currency } = input
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount < MIN_AMOUNT) {
      return error(400, `amount must be an integer number of cents of at least ${MIN_AMOUNT}`, "invalid_amount")
    }
    if (currency !== "ZAR") {
      return error(400, "currency must be ZAR", "invalid_currency")
    }
    const metadata = isRecord(input.metadata) ? input.metadata : {}
    const id = newId("ch")
    const checkout: FakeCheckout = {
      id,
      redirectUrl: `${payPageBase}/${id}`,
      status: "created",
      amount,
      currency,
      paymentId: null,
      successUrl: optionalString(input.successUrl),
      cancelUrl: optionalString(input.cancelUrl),
      failureUrl: optionalString(input.failureUrl),
      metadata: { ...metadata, checkoutId: id },
      externalId: optionalString(input.externalId),
      processingMode: mode,
      refunds: [],
    }
    this.checkouts.set(id, checkout)
    return { status: 200, body: this.view(checkout) }
  }

  /** A checkout visible to a key of `mode` (test keys never see live checkouts, and vice versa). */
  find(checkoutId: string, mode: FakeMode): FakeCheckout | undefined {
    const checkout = this.checkouts.get(checkoutId)
    return checkout?.processingMode === mode ? checkout : undefined
  }

  /** `POST /checkouts/{id}/refund`. */
  refund(checkoutId: string, input: Record<string, unknown>, mode: FakeMode, allowTestModeRefunds: boolean): FakeAnswer {
    const checkout = this.find(checkoutId, mode)
    if (!checkout) {
      return error(404, "Checkout not found", "not_found")
    }
    if (checkout.status !== "completed") {
      return error(409, "Checkout has not been paid", "checkout_not_paid")
    }
    if (mode === "test" && !allowTestModeRefunds) {
      return error(400, "Test mode checkouts cannot be refunded", "test_mode_refund")
    }
    const committed = checkout.refunds.filter((refund) => refund.status !== "failed").reduce((sum, refund) => sum + refund.amount, 0)
    const amount = input.amount === undefined ? checkout.amount - committed : input.amount
    if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0 || amount > checkout.amount - committed) {
      return error(400, "Refund amount exceeds the refundable amount", "invalid_refund_amount")
    }
    const refund: FakeRefund = { refundId: newId("rf"), checkoutId, amount, status: "pending" }
    checkout.refunds.push(refund)
    return { status: 202, body: { id: checkoutId, refundId: refund.refundId, status: "pending", message: "Refund requested" } }
  }

  /** `POST /webhooks`: the secret is in this answer only. */
  registerWebhook(input: Record<string, unknown>, mode: FakeMode, secret: string): FakeAnswer {
    const { name, url } = input
    if (typeof name !== "string" || !name || typeof url !== "string" || !isHttpUrl(url)) {
      return error(400, "name and an http(s) url are required", "invalid_webhook")
    }
    const webhook: FakeWebhook = { id: newId("sub"), name, url, mode, secret }
    this.webhooks.set(webhook.id, webhook)
    return { status: 200, body: { ...webhook } }
  }

  /** `GET /webhooks`: never shows the secrets again. */
  listWebhooks(): FakeAnswer {
    const subscriptions = [...this.webhooks.values()].map(({ secret: _secret, ...rest }) => rest)
    return { status: 200, body: { subscriptions } }
  }

  /** `DELETE /webhooks/{id}`. */
  deleteWebhook(webhookId: string): FakeAnswer {
    return this.webhooks.delete(webhookId) ? { status: 200, body: {} } : error(404, "Webhook not found", "not_found")
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined
}

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol)
  } catch {
    return false
  }
}
