import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { redrivePaymentWebhooksWorkflow } from "../../../../../workflows/redrive-payment-webhooks"
import { PAYMENT_WEBHOOK_FIELDS, resolveInbox, toAdminPaymentWebhook } from "../../list"

/**
 * `POST /admin/payment-webhooks/:id/replay`: puts one recorded delivery back in the queue and
 * re-drives it at once through the scheduled job's workflow, which checks the database before acting
 * (a replay never pays or places an order twice). Answers the delivery as it stands after.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const inbox = resolveInbox(req.scope)
  const id = req.params.id
  const notFound = () => new MedusaError(MedusaError.Types.NOT_FOUND, `Payment webhook ${id} was not found`)
  if (!(await inbox.requeue(id))) {
    throw notFound()
  }
  const { result } = await redrivePaymentWebhooksWorkflow(req.scope).run({
    input: { ids: [id], olderThanSeconds: 0, reconcile: false },
  })
  const [after] = await inbox.listPaymentWebhookEvents({ id }, { select: [...PAYMENT_WEBHOOK_FIELDS], take: 1 })
  if (!after) {
    throw notFound()
  }
  res.json({ payment_webhook: toAdminPaymentWebhook(after), redriven: result.redriven })
}
