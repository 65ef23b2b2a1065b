import { WebhookVerificationError } from "../../lib/errors"
import { secretList } from "../../lib/options"
import { toRawBody } from "../../lib/raw-body"
import { verifyStandardWebhook } from "../../lib/signatures/standard-webhooks"
import type { VerifiedDelivery } from "../../lib/webhook-result"
import type { YocoOptions } from "./options"

/**
 * Verifies a Yoco delivery (Standard Webhooks, every configured secret, Yoco's window) and names
 * the event: its id is the `webhook-id` (the same on every retry), its type the body's `type`.
 * A signed body without a type is not an event. Pure: the edge's only call.
 */
export function verifyYocoDelivery(options: YocoOptions, payload: { rawData: unknown; headers: Record<string, unknown> }): { delivery: VerifiedDelivery; body: unknown } {
  const verified = verifyStandardWebhook({
    rawBody: toRawBody(payload.rawData),
    headers: payload.headers,
    secrets: secretList(options.webhookSecret),
    toleranceSeconds: options.webhookTolerance,
  })
  const body = verified.payload
  if (typeof body !== "object" || body === null || !("type" in body) || typeof body.type !== "string" || !body.type) {
    throw new WebhookVerificationError("malformed_body", "Yoco webhook body is signed but is not an event (no type)")
  }
  return { delivery: { event_id: verified.id, event_type: body.type }, body }
}
