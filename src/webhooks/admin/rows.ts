import type { MedusaContainer } from "@medusajs/framework/types"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { ordersOfSessions } from "./session-orders"

/**
 * The columns the admin API returns. Never `raw_body` (the PSP's payload stays in the database for
 * the processor), `claim_token` (whoever holds it may settle the row) nor `history` (the detail's timeline).
 */
export const PAYMENT_WEBHOOK_FIELDS = [
  "id", "provider_id", "event_id", "event_type", "session_id", "action", "amount", "currency_code", "status", "source",
  "attempts", "deliveries", "last_error", "received_at", "processed_at", "next_attempt_at", "body_hash", "details", "outcome",
  "psp_reference", "needs_attention",
] as const

/** A row as the inbox module lists it. */
export type InboxEvent = Awaited<ReturnType<PaymentWebhooksModuleService["listPaymentWebhookEvents"]>>[number]

/** A recorded delivery as the admin API shows it, with the order its session's cart became (if any). */
export type AdminPaymentWebhook = Pick<InboxEvent, (typeof PAYMENT_WEBHOOK_FIELDS)[number]> & { order_id: string | null }

/** Copies the shown fields only, so nothing else (the raw body above all) can slip into an answer. */
export function toAdminPaymentWebhook(event: InboxEvent, orderId: string | null = null): AdminPaymentWebhook {
  return {
    id: event.id, provider_id: event.provider_id, event_id: event.event_id, event_type: event.event_type,
    session_id: event.session_id, action: event.action, amount: event.amount, currency_code: event.currency_code,
    status: event.status, source: event.source, attempts: event.attempts, deliveries: event.deliveries, last_error: event.last_error,
    received_at: event.received_at, processed_at: event.processed_at, next_attempt_at: event.next_attempt_at,
    body_hash: event.body_hash, details: event.details, outcome: event.outcome,
    psp_reference: event.psp_reference, needs_attention: event.needs_attention, order_id: orderId,
  }
}

/** Rows as the admin API shows them, their orders resolved for the whole page at once. */
export async function toAdminPaymentWebhooks(container: MedusaContainer, events: InboxEvent[]): Promise<AdminPaymentWebhook[]> {
  const orders = await ordersOfSessions(container, events.map((event) => event.session_id))
  return events.map((event) => toAdminPaymentWebhook(event, (event.session_id && orders.get(event.session_id)) || null))
}
