import type { MedusaContainer } from "@medusajs/framework/types"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import type { PaymentWebhookRow } from "../../types/admin-api"
import { inboxSources, type InboxSource } from "../edge/webhook-sources"
import { ordersOfSessions } from "./session-orders"

/**
 * The columns the admin API reads of a row: those of {@link PaymentWebhookRow} the inbox holds. Never
 * `raw_body`, `claim_token` nor `history` (the detail's timeline reads it on its own).
 */
export const PAYMENT_WEBHOOK_FIELDS = [
  "id",
  "provider_id",
  "event_id",
  "event_type",
  "session_id",
  "action",
  "amount",
  "currency_code",
  "status",
  "source",
  "attempts",
  "deliveries",
  "last_error",
  "received_at",
  "processed_at",
  "next_attempt_at",
  "body_hash",
  "details",
  "outcome",
  "psp_reference",
  "needs_attention",
  "verified",
] as const satisfies ReadonlyArray<keyof PaymentWebhookRow>

/** A row as the inbox module lists it. */
export type InboxEvent = Awaited<ReturnType<PaymentWebhooksModuleService["listPaymentWebhookEvents"]>>[number]

const iso = (value: Date | string) => new Date(value).toISOString()

/** Copies the shown fields only, so nothing else (the raw body above all) can slip into an answer. */
export function toPaymentWebhookRow(event: InboxEvent, orderId: string | null = null, fromOtherPackage = false): PaymentWebhookRow {
  return {
    id: event.id,
    provider_id: event.provider_id,
    event_id: event.event_id,
    event_type: event.event_type,
    session_id: event.session_id,
    action: event.action,
    amount: event.amount,
    currency_code: event.currency_code,
    status: event.status,
    source: event.source,
    attempts: event.attempts,
    deliveries: event.deliveries,
    last_error: event.last_error,
    received_at: iso(event.received_at),
    processed_at: event.processed_at && iso(event.processed_at),
    next_attempt_at: event.next_attempt_at && iso(event.next_attempt_at),
    body_hash: event.body_hash,
    details: event.details,
    outcome: event.outcome,
    psp_reference: event.psp_reference,
    needs_attention: event.needs_attention,
    order_id: orderId,
    verified: event.verified,
    from_other_package: fromOtherPackage,
  }
}

/** Rows as the admin API shows them, their orders resolved for the whole page at once, each marked with its provider's kind. */
export async function toPaymentWebhookRows(container: MedusaContainer, events: InboxEvent[]): Promise<PaymentWebhookRow[]> {
  const orders = await ordersOfSessions(
    container,
    events.map((event) => event.session_id),
  )
  const served = await inboxSources(container).catch(() => new Map<string, InboxSource>())
  return events.map((event) =>
    toPaymentWebhookRow(
      event,
      (event.session_id && orders.get(event.session_id)) || null,
      served.get(event.provider_id)?.kind === "foreign",
    ),
  )
}
