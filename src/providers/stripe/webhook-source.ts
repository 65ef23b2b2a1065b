import type Stripe from "stripe"
import { PaymentActions } from "@medusajs/framework/utils"
import { UnusableEventError, WebhookVerificationError, errorMessage } from "../../lib/errors"
import { fromMinorUnits } from "../base/money"
import { secretList } from "../../lib/options"
import { singleHeader, toRawBody } from "../../lib/raw-body"
import { STORE_MARKER_KEY, isStoreMarker } from "../../lib/store-marker"
import { verifyStripeSignature } from "./signature"
import type { MappedWebhookEvent, PaymentSessionTruth, StoredDelivery, VerifiedDelivery } from "../../lib/webhook-result"
import { stripeFailure } from "./errors"
import { mapStripeEvent } from "./events"
import type { StripeOptions } from "./options"
import { lookUpChargeEventContext } from "./webhook-context"

/** Whether a key takes live or test payments; undefined for a key of neither form (a local fake's). */
export function keyModeOf(apiKey: string): "live" | "test" | undefined {
  if (/^(sk|rk)_live_/.test(apiKey)) {
    return "live"
  }
  return /^(sk|rk)_test_/.test(apiKey) ? "test" : undefined
}

/** Verifies `Stripe-Signature` on the raw body and names the event. Pure: the edge's only call. */
export function verifyStripeDelivery(
  options: StripeOptions,
  payload: { rawData: unknown; headers: Record<string, unknown>; data?: unknown },
): { delivery: VerifiedDelivery; body: Stripe.Event } {
  // Stripe sends JSON only: any other body is refused before its signature is even looked at.
  const contentType = singleHeader(payload.headers, "content-type")
  if (contentType && !/^application\/json\b/i.test(contentType.trim())) {
    throw new WebhookVerificationError("malformed_body", `Stripe webhooks are JSON; this delivery is ${contentType.split(";")[0].trim()}`)
  }
  // The event's id and type are read from the verified bytes, never from a body the framework parsed.
  const { event } = verifyStripeSignature({
    rawBody: toRawBody(payload.rawData),
    header: singleHeader(payload.headers, "stripe-signature"),
    secrets: secretList(options.webhookSecret),
    toleranceSeconds: options.webhookTolerance,
  })
  return { delivery: { event_id: event.id, event_type: event.type }, body: event }
}

/** The stored body as a Stripe event with an object to read; anything else cannot be used. */
function asEvent(body: unknown): Stripe.Event {
  if (
    typeof body !== "object" ||
    body === null ||
    !("id" in body) ||
    typeof body.id !== "string" ||
    !("type" in body) ||
    typeof body.type !== "string"
  ) {
    throw new UnusableEventError("the recorded Stripe body is not an event (no id or type)")
  }
  const data = "data" in body ? body.data : undefined
  if (typeof data !== "object" || data === null || !("object" in data) || typeof data.object !== "object" || data.object === null) {
    throw new UnusableEventError(`Stripe event ${body.id} (${body.type}) carries no data.object`)
  }
  // Checked above: the fields every handled event reads are validated again by the mapping.
  return body as Stripe.Event
}

/**
 * Adds `created_here` to a PaymentIntent event's mapping (whether the intent carries this store's marker
 * for its session) and, when it does, the session data that locates the intent for reconciliation.
 */
function withCreatedHere(mapped: MappedWebhookEvent, event: Stripe.Event, secrets: readonly string[]): MappedWebhookEvent {
  const object = event.data.object as { object?: unknown; metadata?: Record<string, string> | null }
  if (object.object !== "payment_intent" || !mapped.data?.session_id) {
    return mapped
  }
  const createdHere = isStoreMarker(object.metadata?.[STORE_MARKER_KEY], secrets, mapped.data.session_id)
  return {
    ...mapped,
    created_here: createdHere,
    ...(createdHere && mapped.psp_reference ? { session_data: { id: mapped.psp_reference } } : {}),
  }
}

/**
 * Maps a recorded Stripe event to what Medusa must do. Events whose `livemode` differs from the key's
 * are set aside (a live event on a test store, or the reverse). Refund and dispute events ask Stripe
 * for the session and the refunds (a failure there is retried); content that cannot be mapped throws
 * {@link UnusableEventError}.
 */
export async function interpretStripeDelivery(
  stripe: Stripe,
  options: StripeOptions,
  delivery: StoredDelivery,
): Promise<MappedWebhookEvent> {
  const event = asEvent(delivery.body)
  const keyMode = keyModeOf(options.apiKey)
  const eventMode = event.livemode === true ? "live" : "test"
  if (keyMode && keyMode !== eventMode) {
    return {
      event_id: event.id,
      event_type: event.type,
      action: PaymentActions.NOT_SUPPORTED,
      reason: `a ${eventMode}-mode event on a store using a ${keyMode}-mode key`,
    }
  }
  let context
  try {
    context = await lookUpChargeEventContext(stripe, event)
  } catch (error) {
    throw stripeFailure("reading the event's payment", error)
  }
  try {
    return withCreatedHere(mapStripeEvent(event, context), event, secretList(options.webhookSecret))
  } catch (error) {
    throw new UnusableEventError(`Stripe event ${event.id} (${event.type}) cannot be used: ${errorMessage(error)}`)
  }
}

/**
 * Where a session's PaymentIntent stands at Stripe now, as the event Stripe would have sent:
 * `requires_capture` is authorized for what can be captured, `succeeded` captured for what was received.
 */
export async function readStripeSessionTruth(stripe: Stripe, sessionData: Record<string, unknown>): Promise<PaymentSessionTruth> {
  const id = sessionData.id
  if (typeof id !== "string" || !id.startsWith("pi_")) {
    return { psp_status: "no PaymentIntent" }
  }
  let intent: Stripe.PaymentIntent
  try {
    intent = await stripe.paymentIntents.retrieve(id)
  } catch (error) {
    throw stripeFailure("reconciliation", error)
  }
  const sessionId = intent.metadata?.session_id
  const base = { event_id: `reconcile:${intent.id}`, psp_reference: intent.id, currency_code: intent.currency.toLowerCase() }
  if (!sessionId) {
    return { psp_status: `${intent.status}, no metadata.session_id` }
  }
  if (intent.status === "requires_capture") {
    return {
      psp_status: intent.status,
      mapped: {
        ...base,
        event_type: "reconciliation.authorized",
        action: PaymentActions.AUTHORIZED,
        data: { session_id: sessionId, amount: fromMinorUnits(intent.amount_capturable, intent.currency) },
      },
    }
  }
  if (intent.status === "succeeded") {
    return {
      psp_status: intent.status,
      mapped: {
        ...base,
        event_type: "reconciliation.captured",
        action: PaymentActions.SUCCESSFUL,
        data: { session_id: sessionId, amount: fromMinorUnits(intent.amount_received, intent.currency) },
      },
    }
  }
  return { psp_status: intent.status }
}
