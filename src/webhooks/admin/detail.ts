import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { PaymentWebhookDetail } from "../../types/admin-api"
import { resolveInbox } from "./inbox"
import { PAYMENT_WEBHOOK_FIELDS, toPaymentWebhookRows } from "./rows"
import { timelineOf } from "./timeline"

/** One delivery with its timeline and mapped event; 404 when there is no such row. */
export async function paymentWebhookDetail(container: MedusaContainer, id: string): Promise<PaymentWebhookDetail> {
  const [event] = await resolveInbox(container).listPaymentWebhookEvents(
    { id },
    { select: [...PAYMENT_WEBHOOK_FIELDS, "history"], take: 1 },
  )
  if (!event) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment webhook ${id} was not found`)
  }
  const [row] = await toPaymentWebhookRows(container, [event])
  return {
    payment_webhook: row,
    timeline: timelineOf({
      received_at: event.received_at,
      processed_at: event.processed_at,
      status: event.status,
      last_error: event.last_error,
      outcome: event.outcome,
      history: event.history,
    }),
    mapped: {
      action: event.action,
      amount: event.amount === null ? null : Number(event.amount),
      currency_code: event.currency_code,
      session_id: event.session_id,
      psp_reference: event.psp_reference,
      event_type: event.event_type,
      details: event.details,
    },
  }
}
