import type Stripe from "stripe"
import { PaymentActions } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../../lib/money"
import type { MappedWebhookEvent } from "../../lib/webhook-result"

/** Which PaymentIntent amount each event reports, and the Medusa action it maps to. */
const INTENT_EVENTS: Record<string, { action: PaymentActions; amount: (intent: Stripe.PaymentIntent) => number }> = {
  "payment_intent.amount_capturable_updated": { action: PaymentActions.AUTHORIZED, amount: (pi) => pi.amount_capturable },
  "payment_intent.succeeded": { action: PaymentActions.SUCCESSFUL, amount: (pi) => pi.amount_received },
  "payment_intent.processing": { action: PaymentActions.PENDING, amount: (pi) => pi.amount },
  "payment_intent.created": { action: PaymentActions.PENDING, amount: (pi) => pi.amount },
  "payment_intent.requires_action": { action: PaymentActions.REQUIRES_MORE, amount: (pi) => pi.amount },
  "payment_intent.partially_funded": { action: PaymentActions.REQUIRES_MORE, amount: (pi) => pi.amount },
  "payment_intent.payment_failed": { action: PaymentActions.FAILED, amount: (pi) => pi.amount },
  "payment_intent.canceled": { action: PaymentActions.CANCELED, amount: (pi) => pi.amount },
}

/** The Stripe event types this provider turns into a Medusa action. */
export const HANDLED_STRIPE_EVENTS = Object.keys(INTENT_EVENTS)

function isPaymentIntent(object: unknown): object is Stripe.PaymentIntent {
  return typeof object === "object" && object !== null && (object as { object?: unknown }).object === "payment_intent"
}

/**
 * Maps a verified Stripe event to a Medusa payment action. Pure: no I/O.
 * An intent without `metadata.session_id` was not created by this store and is never acted upon.
 */
export function mapStripeEvent(event: Stripe.Event): MappedWebhookEvent {
  const base = { event_id: event.id, event_type: event.type }
  const rule = INTENT_EVENTS[event.type]
  if (!rule) {
    return { ...base, action: PaymentActions.NOT_SUPPORTED, reason: `Stripe event ${event.type} is not handled` }
  }
  const intent = event.data.object
  if (!isPaymentIntent(intent)) {
    return { ...base, action: PaymentActions.NOT_SUPPORTED, reason: `${event.type} does not carry a PaymentIntent` }
  }
  const sessionId = intent.metadata?.session_id
  if (!sessionId) {
    return {
      ...base,
      action: PaymentActions.NOT_SUPPORTED,
      reason: `PaymentIntent ${intent.id} has no metadata.session_id: it was not created by this store`,
    }
  }
  return {
    ...base,
    action: rule.action,
    currency_code: intent.currency.toLowerCase(),
    data: { session_id: sessionId, amount: fromMinorUnits(rule.amount(intent), intent.currency) },
  }
}
