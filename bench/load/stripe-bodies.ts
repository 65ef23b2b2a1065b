import { signStripePayload } from "../../src/providers/stripe/signature"

/** A Stripe event as JSON (what FakeStripe generates), used as the model of the bodies sent. */
export type EventTemplate = { id: string; type: string; data: { object: Record<string, unknown> } } & Record<string, unknown>

/** One request ready to POST: the exact body and its headers. */
export type SignedDelivery = { body: string; headers: Record<string, string> }

/** Headers Stripe puts on every webhook delivery, besides the signature. */
const STRIPE_HEADERS = { "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" }

/** The body Stripe would send for `template` under another event id (pretty-printed as Stripe does). */
export function eventBody(template: EventTemplate, eventId: string): string {
  return JSON.stringify({ ...template, id: eventId }, null, 2)
}

/** Signs `body` as Stripe does, now. */
export function signDelivery(body: string, secret: string): SignedDelivery {
  return { body, headers: { ...STRIPE_HEADERS, "stripe-signature": signStripePayload({ payload: body, secret }) } }
}

/** `template` naming another payment session in its PaymentIntent's metadata. */
function forSession(template: EventTemplate, sessionId: string): EventTemplate {
  const intent = template.data.object
  const metadata = typeof intent.metadata === "object" && intent.metadata !== null ? intent.metadata : {}
  return { ...template, data: { ...template.data, object: { ...intent, metadata: { ...metadata, session_id: sessionId } } } }
}

/**
 * `count` distinct, signed deliveries: event ids `<prefix>_<i>`, bodies taken round-robin from
 * `templates` (one per payment session of the pool); with `sessionPrefix`, each names a session
 * `<sessionPrefix><i>` of its own instead (one the store does not have).
 */
export function signedDeliveries(
  templates: readonly EventTemplate[],
  prefix: string,
  count: number,
  secret: string,
  sessionPrefix?: string,
): SignedDelivery[] {
  if (!templates.length) {
    throw new Error("signedDeliveries needs at least one event template")
  }
  return Array.from({ length: count }, (_, index) => {
    const template = templates[index % templates.length]
    return signDelivery(
      eventBody(sessionPrefix ? forSession(template, `${sessionPrefix}${index}`) : template, `${prefix}_${index}`),
      secret,
    )
  })
}
