import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { AdminApiError, PaymentWebhookSettled } from "../../../../../types/admin-api"
import { resolveInbox } from "../../../../../webhooks/admin/inbox"
import { PAYMENT_WEBHOOK_FIELDS, toPaymentWebhookRows } from "../../../../../webhooks/admin/rows"
import type { AdminSettlePaymentWebhookType } from "../../validators"

/**
 * `POST /admin/payment-webhooks/:id/settle` `{ note }`: a person says a delivery that failed or needs
 * attention is dealt with (refunded at the PSP by hand, the order made another way…). It loses its
 * flag, a `failed` one becomes `ignored` with the note as its reason, the timeline keeps the note and
 * who wrote it, and retention takes it from now on like any settled delivery. Nothing is run and no
 * money moves. `409` while a processor holds it, while it is still waiting to be processed, or when it
 * needs nothing; `404` for an unknown id. Answers the delivery as it stands after.
 */
export async function POST(
  req: AuthenticatedMedusaRequest<AdminSettlePaymentWebhookType>,
  res: MedusaResponse<PaymentWebhookSettled | AdminApiError>,
): Promise<void> {
  const inbox = resolveInbox(req.scope)
  const id = req.params.id
  const outcome = await inbox.settleByPerson(id, { note: req.validatedBody.note, actor: req.auth_context?.actor_id || null })
  if (outcome === "missing") {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment webhook ${id} was not found`)
  }
  if (outcome !== "settled") {
    // Medusa's error handler gives every conflict one generic message: this one says why.
    res.status(409).json({
      type: "conflict",
      message:
        outcome === "claimed"
          ? `Payment webhook ${id} is being processed right now: settle it once that attempt has ended`
          : `Payment webhook ${id} has nothing to settle: it neither failed nor needs attention (or it still waits to be processed)`,
    })
    return
  }
  const [after] = await inbox.listPaymentWebhookEvents({ id }, { select: [...PAYMENT_WEBHOOK_FIELDS], take: 1 })
  const [payment_webhook] = await toPaymentWebhookRows(req.scope, after ? [after] : [])
  if (!payment_webhook) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment webhook ${id} was not found`)
  }
  res.json({ payment_webhook })
}
