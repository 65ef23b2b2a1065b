import { signStandardWebhook } from "../providers/base/standard-webhooks"
import { signStripePayload } from "../providers/stripe/signature"

/**
 * Signs a Stripe event as Stripe would: returns the exact body and the headers to POST to
 * `/hooks/payment/stripe_<id>`.
 */
export function signStripeEvent(
  event: object | string,
  options: { secret: string | readonly string[]; timestamp?: number },
): { body: string; headers: Record<string, string> } {
  const body = typeof event === "string" ? event : JSON.stringify(event, null, 2)
  const signature = signStripePayload({ payload: body, secret: options.secret, timestamp: options.timestamp })
  return { body, headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature } }
}

/**
 * Signs a Yoco event as Yoco would (Standard Webhooks): returns the exact body and the
 * `webhook-id`/`webhook-timestamp`/`webhook-signature` headers. `id` defaults to a new message id.
 */
export function signYocoEvent(
  event: object | string,
  options: { secret: string; id?: string; timestamp?: number },
): { body: string; headers: Record<string, string> } {
  const body = typeof event === "string" ? event : JSON.stringify(event)
  const id = options.id ?? `msg_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
  const headers = signStandardWebhook({ id, payload: body, secret: options.secret, timestamp: options.timestamp })
  return { body, headers: { "content-type": "application/json", ...headers } }
}
