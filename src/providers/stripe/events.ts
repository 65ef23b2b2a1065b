import type Stripe from "stripe"
import { PaymentActions } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../base/money"
import type { MappedWebhookEvent, WebhookEffect } from "../../lib/webhook-result"
import { CHARGE_EVENT_TYPES, isChargeEvent, mapChargeEvent, type ChargeEventContext } from "./charge-events"

/** The PaymentIntent events this provider maps, in the order `--help` lists them. */
const INTENT_EVENT_TYPES = [
  "payment_intent.amount_capturable_updated",
  "payment_intent.succeeded",
  "payment_intent.processing",
  "payment_intent.created",
  "payment_intent.requires_action",
  "payment_intent.partially_funded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
] as const

type IntentEventType = (typeof INTENT_EVENT_TYPES)[number]

/** Which PaymentIntent amount each event reports, and the Medusa action it maps to. */
const INTENT_EVENTS: Record<IntentEventType, { action: PaymentActions; amount: (intent: Stripe.PaymentIntent) => number }> = {
  "payment_intent.amount_capturable_updated": { action: PaymentActions.AUTHORIZED, amount: (pi) => pi.amount_capturable },
  "payment_intent.succeeded": { action: PaymentActions.SUCCESSFUL, amount: (pi) => pi.amount_received },
  "payment_intent.processing": { action: PaymentActions.PENDING, amount: (pi) => pi.amount },
  "payment_intent.created": { action: PaymentActions.PENDING, amount: (pi) => pi.amount },
  "payment_intent.requires_action": { action: PaymentActions.REQUIRES_MORE, amount: (pi) => pi.amount },
  "payment_intent.partially_funded": { action: PaymentActions.REQUIRES_MORE, amount: (pi) => pi.amount },
  "payment_intent.payment_failed": { action: PaymentActions.FAILED, amount: (pi) => pi.amount },
  "payment_intent.canceled": { action: PaymentActions.CANCELED, amount: (pi) => pi.amount },
}

function isIntentEventType(type: string): type is IntentEventType {
  return INTENT_EVENT_TYPES.some((known) => known === type)
}

/** Every Stripe event type this provider acts on: enable these on the Stripe endpoint. */
export const HANDLED_STRIPE_EVENTS = [...INTENT_EVENT_TYPES, ...CHARGE_EVENT_TYPES] as const

/** A Stripe event type this provider acts on. */
export type HandledStripeEventType = (typeof HANDLED_STRIPE_EVENTS)[number]

/** What the plugin does beyond Medusa for a failed or canceled intent, with Stripe's reason. */
function intentEffect(type: string, intent: Stripe.PaymentIntent): WebhookEffect | undefined {
  if (type === "payment_intent.payment_failed") {
    const error = intent.last_payment_error
    return { kind: "payment_failed", reason: error?.decline_code ?? error?.code ?? error?.message ?? null }
  }
  if (type === "payment_intent.canceled") {
    return { kind: "payment_canceled", reason: intent.cancellation_reason ?? null }
  }
  return undefined
}

function isPaymentIntent(object: unknown): object is Stripe.PaymentIntent {
  return typeof object === "object" && object !== null && (object as { object?: unknown }).object === "payment_intent"
}

/**
 * Maps a verified Stripe event to a Medusa payment action. Pure: no I/O (what charge-level events
 * need from Stripe, the service looks up and passes in `context`).
 * An intent without `metadata.session_id` was not created by this store and is never acted upon.
 */
export function mapStripeEvent(event: Stripe.Event, context: ChargeEventContext = {}): MappedWebhookEvent {
  const base = { event_id: event.id, event_type: event.type }
  if (isChargeEvent(event)) {
    return mapChargeEvent(event, context)
  }
  const rule = isIntentEventType(event.type) ? INTENT_EVENTS[event.type] : undefined
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
  const effect = intentEffect(event.type, intent)
  return {
    ...base,
    psp_reference: intent.id,
    action: rule.action,
    currency_code: intent.currency.toLowerCase(),
    data: { session_id: sessionId, amount: fromMinorUnits(rule.amount(intent), intent.currency) },
    ...(effect ? { effect } : {}),
  }
}
