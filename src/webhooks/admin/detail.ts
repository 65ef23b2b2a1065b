import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { resolveInbox } from "./inbox"
import { PAYMENT_WEBHOOK_FIELDS, toAdminPaymentWebhooks, type AdminPaymentWebhook } from "./rows"
import { timelineOf, type TimelineEntry } from "./timeline"

/** The event as the processor mapped it (null fields until it has been processed once). */
export type MappedEventView = {
  action: string | null
  amount: number | null
  currency_code: string | null
  session_id: string | null
  psp_reference: string | null
  event_type: string | null
  details: Record<string, unknown> | null
}

/** One delivery in full, for the admin's detail drawer. */
export type PaymentWebhookDetail = { payment_webhook: AdminPaymentWebhook; timeline: TimelineEntry[]; mapped: MappedEventView }

/** One delivery with its timeline and mapped event; 404 when there is no such row. */
export async function paymentWebhookDetail(container: MedusaContainer, id: string): Promise<PaymentWebhookDetail> {
  const [event] = await resolveInbox(container).listPaymentWebhookEvents({ id }, { select: [...PAYMENT_WEBHOOK_FIELDS, "history"], take: 1 })
  if (!event) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment webhook ${id} was not found`)
  }
  const [row] = await toAdminPaymentWebhooks(container, [event])
  return {
    payment_webhook: row,
    timeline: timelineOf({
      received_at: event.received_at, processed_at: event.processed_at, status: event.status, last_error: event.last_error,
      outcome: event.outcome, history: event.history,
    }),
    mapped: {
      action: event.action, amount: event.amount === null ? null : Number(event.amount), currency_code: event.currency_code,
      session_id: event.session_id, psp_reference: event.psp_reference, event_type: event.event_type, details: event.details,
    },
  }
}
