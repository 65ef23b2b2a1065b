import { signStandardWebhook } from "../../providers/base/standard-webhooks"
import { FakeCheckout, FakeMode, FakeRefund, newId } from "./state"
import type { YocoEventType } from "../../providers/yoco/events"

/** An event type the fake sends: every type Yoco sends. */
export type FakeEventType = YocoEventType

/** A Yoco webhook event, as sent on the wire. */
export type FakeYocoEvent = {
  id: string
  type: FakeEventType | string
  createdDate: string
  payload: {
    id: string
    type: "payment" | "refund"
    createdDate: string
    amount: number
    currency: string
    status: "succeeded" | "failed"
    mode: FakeMode
    metadata: Record<string, unknown>
    paymentId?: string | null
    paymentMethodDetails?: { type: "card"; card: { maskedCard: string; scheme: string; expiryMonth: number; expiryYear: number } }
  }
}

/** Field overrides for {@link buildEvent} (e.g. a mismatched amount, another mode, a foreign checkout). */
export type FakeEventOverrides = Partial<Omit<FakeYocoEvent["payload"], "metadata">> & {
  metadata?: Record<string, unknown>
  id?: string
}

/** Builds the event Yoco would send for `checkout` (and `refund` for the refund events). */
export function buildEvent(
  type: FakeEventType,
  checkout: FakeCheckout,
  options: { refund?: FakeRefund; overrides?: FakeEventOverrides } = {},
): FakeYocoEvent {
  const { refund, overrides = {} } = options
  const { id: eventId, metadata, ...payloadOverrides } = overrides
  const createdDate = new Date().toISOString()
  const isRefund = type !== "payment.succeeded"
  return {
    id: eventId ?? newId("evt"),
    type,
    createdDate,
    payload: {
      id: isRefund ? (refund?.refundId ?? newId("rf")) : (checkout.paymentId ?? newId("p")),
      type: isRefund ? "refund" : "payment",
      createdDate,
      amount: isRefund ? (refund?.amount ?? checkout.amount) : checkout.amount,
      currency: checkout.currency,
      status: type === "refund.failed" ? "failed" : "succeeded",
      mode: checkout.processingMode,
      ...(isRefund
        ? { paymentId: checkout.paymentId }
        : {
            paymentMethodDetails: {
              type: "card",
              card: { maskedCard: "************1111", scheme: "visa", expiryMonth: 12, expiryYear: 2030 },
            },
          }),
      ...payloadOverrides,
      metadata: metadata ?? { ...checkout.metadata, checkoutId: checkout.id },
    },
  }
}

/** One POST of an event to an endpoint. */
export type DeliveryAttempt = { status?: number; error?: string; timestamp: number }

/** Every attempt made for one endpoint, and whether one of them got a 2xx. */
export type DeliveryReport = { url: string; delivered: boolean; attempts: DeliveryAttempt[] }

/** Options of a single delivery. */
export type DeliverOptions = {
  /** Signing secret (default: the fake's `webhookSecret`). */
  secret?: string | readonly string[]
  /** Unix seconds to sign with (default now); an old one simulates a replay. */
  timestamp?: number
  /** `webhook-id`; defaults to one derived from the event id, so retries carry the same id. */
  messageId?: string
  /** Extra or replacing headers (e.g. a forged signature). */
  headers?: Record<string, string>
  /** Send this body instead of the serialised event (e.g. tampered bytes). */
  rawBody?: string
  /** Give up on an attempt after this many milliseconds (Yoco waits 15 s). */
  timeoutMs?: number
}

/** The `webhook-id` of an event: stable across retries. */
export function messageIdOf(event: FakeYocoEvent): string {
  return `msg_${event.id.replace(/^evt_/, "")}`
}

/** POSTs `event` once to `url`, signed the Standard Webhooks way, as Yoco does. */
export async function deliverOnce(
  url: string,
  event: FakeYocoEvent,
  secret: string | readonly string[],
  options: DeliverOptions = {},
): Promise<DeliveryAttempt> {
  const body = options.rawBody ?? JSON.stringify(event)
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  const signed = signStandardWebhook({ id: options.messageId ?? messageIdOf(event), timestamp, payload: JSON.stringify(event), secret })
  const headers = { "content-type": "application/json", "user-agent": "fake-yoco-webhooks", ...signed, ...options.headers }
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) })
    await response.arrayBuffer()
    return { status: response.status, timestamp }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), timestamp }
  }
}

/**
 * Delivers with Yoco's retry schedule (compressed): one attempt per entry of `scheduleMs`, each
 * after waiting that long, until an endpoint answers 2xx. Each attempt is signed afresh (new
 * `webhook-timestamp`, same `webhook-id`), as Yoco does.
 */
export async function deliverWithRetries(
  url: string,
  event: FakeYocoEvent,
  secret: string | readonly string[],
  scheduleMs: readonly number[],
  options: Omit<DeliverOptions, "timestamp"> = {},
): Promise<DeliveryReport> {
  const attempts: DeliveryAttempt[] = []
  for (const delay of scheduleMs) {
    if (delay > 0) {
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
    const attempt = await deliverOnce(url, event, secret, options)
    attempts.push(attempt)
    if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
      return { url, delivered: true, attempts }
    }
  }
  return { url, delivered: false, attempts }
}
