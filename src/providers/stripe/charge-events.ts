import type Stripe from "stripe"
import { PaymentActions } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../base/money"
import { MEDUSA_REFUND_ID } from "../../lib/external-refunds"
import type { MappedWebhookEvent, PspRefund } from "../../lib/webhook-result"

/** Event types about money after the payment: refunds and disputes. */
export const CHARGE_EVENT_TYPES = [
  "charge.refunded",
  "refund.created",
  "refund.updated",
  "charge.dispute.created",
  "charge.dispute.closed",
] as const

/** Stripe's dispute statuses once it is decided. */
const CLOSED_DISPUTE_STATUSES = new Set(["won", "lost", "warning_closed", "charge_refunded", "prevented"])

/** A refund or dispute event. */
export type ChargeEvent = Extract<Stripe.Event, { type: (typeof CHARGE_EVENT_TYPES)[number] }>

/** True for the refund and dispute events {@link mapChargeEvent} maps. */
export function isChargeEvent(event: Stripe.Event): event is ChargeEvent {
  return CHARGE_EVENT_TYPES.some((type) => type === event.type)
}

/** What the service looked up for a charge-level event (Stripe does not always put it in the event). */
export type ChargeEventContext = {
  /** The Medusa session of the event's PaymentIntent, from the intent's own metadata. */
  sessionId?: string
  /** Every refund of the PaymentIntent, when the event itself does not list them. */
  refunds?: Stripe.Refund[]
}

/** The PaymentIntent id a charge, refund or dispute belongs to. */
export function intentIdOfChargeObject(object: unknown): string | undefined {
  if (typeof object !== "object" || object === null || !("payment_intent" in object)) {
    return undefined
  }
  const value = object.payment_intent
  return typeof value === "string" ? value : typeof value === "object" && value !== null && "id" in value ? String(value.id) : undefined
}

function toPspRefund(refund: Stripe.Refund): PspRefund {
  const medusaRefundId = refund.metadata?.[MEDUSA_REFUND_ID]
  return {
    id: refund.id,
    amount: fromMinorUnits(refund.amount, refund.currency),
    status: refund.status ?? "pending",
    ...(medusaRefundId ? { medusa_refund_id: medusaRefundId } : {}),
    ...(refund.status === "failed" || refund.status === "canceled" ? { failure_reason: refund.failure_reason ?? refund.status } : {}),
  }
}

function noSession(event: Stripe.Event): MappedWebhookEvent {
  return {
    event_id: event.id,
    event_type: event.type,
    action: PaymentActions.NOT_SUPPORTED,
    reason: `${event.type}: its PaymentIntent has no metadata.session_id, so it was not created by this store`,
  }
}

/**
 * Maps refund and dispute events (pure). They carry no Medusa action of their own: the plugin
 * records them on the payment and order (`effect`).
 */
export function mapChargeEvent(event: ChargeEvent, context: ChargeEventContext): MappedWebhookEvent {
  // The intent names the payment for a person searching the inbox (`pi_…`), whatever the event's own object.
  const base = {
    event_id: event.id,
    event_type: event.type,
    action: PaymentActions.NOT_SUPPORTED,
    psp_reference: intentIdOfChargeObject(event.data.object),
  }
  const sessionId = context.sessionId
  if (!sessionId) {
    return noSession(event)
  }
  if (event.type === "charge.refunded") {
    const charge = event.data.object
    const listed = charge.refunds?.data ?? context.refunds ?? []
    return {
      ...base,
      currency_code: charge.currency,
      data: { session_id: sessionId, amount: fromMinorUnits(charge.amount_refunded, charge.currency) },
      effect: { kind: "refunds", refunds: listed.map(toPspRefund) },
    }
  }
  if (event.type === "refund.created" || event.type === "refund.updated") {
    const refund = event.data.object
    const data = { session_id: sessionId, amount: fromMinorUnits(refund.amount, refund.currency) }
    return { ...base, currency_code: refund.currency, data, effect: { kind: "refunds", refunds: [toPspRefund(refund)] } }
  }
  // Only the dispute events are left.
  const dispute = event.data.object
  const dueBy = dispute.evidence_details?.due_by
  return {
    ...base,
    currency_code: dispute.currency,
    data: { session_id: sessionId, amount: fromMinorUnits(dispute.amount, dispute.currency) },
    effect: {
      kind: "dispute",
      phase: event.type === "charge.dispute.created" ? "opened" : "closed",
      dispute: {
        id: dispute.id,
        status: dispute.status,
        closed: CLOSED_DISPUTE_STATUSES.has(dispute.status),
        reason: dispute.reason ?? null,
        amount: fromMinorUnits(dispute.amount, dispute.currency),
        currency_code: dispute.currency,
        evidence_due_by: dueBy ? new Date(dueBy * 1000).toISOString() : null,
      },
    },
  }
}
