import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { AdminApiError, PaymentWebhookReplay } from "../../../../../types/admin-api"
import { resolveInbox } from "../../../../../webhooks/admin/inbox"
import { PAYMENT_WEBHOOK_FIELDS, toPaymentWebhookRows } from "../../../../../webhooks/admin/rows"
import { processDelivery } from "../../../../../webhooks/processor/process-delivery"

/**
 * `POST /admin/payment-webhooks/:id/replay`: puts one recorded delivery back in the queue and runs
 * it at once through the processor, which checks what the store holds before acting (a replay never
 * pays or places an order twice). A `processed` delivery may be replayed on purpose. Takes no query
 * and no body (unknown ones are refused); `409` while a processor holds the delivery under its lease.
 * Answers the delivery as it stands after.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse<PaymentWebhookReplay | AdminApiError>): Promise<void> {
  const inbox = resolveInbox(req.scope)
  const id = req.params.id
  const notFound = () => new MedusaError(MedusaError.Types.NOT_FOUND, `Payment webhook ${id} was not found`)
  const requeued = await inbox.requeue(id)
  if (requeued === "missing") {
    throw notFound()
  }
  if (requeued === "no_body") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Payment webhook ${id} cannot be replayed: its raw body is no longer kept (rawBodyRetentionDays)`,
    )
  }
  if (requeued !== "requeued") {
    // Medusa's error handler gives every conflict one generic message: this one says what to do.
    res.status(409).json({
      type: "conflict",
      message: `Payment webhook ${id} is being processed right now (a processor holds its lease): it was left as it is; replay it once that attempt has ended`,
    })
    return
  }
  const result = await processDelivery(req.scope, id, { evenIfBackingOff: true })
  const [after] = await inbox.listPaymentWebhookEvents({ id }, { select: [...PAYMENT_WEBHOOK_FIELDS], take: 1 })
  if (!after) {
    throw notFound()
  }
  const [payment_webhook] = await toPaymentWebhookRows(req.scope, [after])
  res.json({ payment_webhook, result })
}
