import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { PaymentWebhookDetail } from "../../../../types/admin-api"
import { paymentWebhookDetail } from "../../../../webhooks/admin/detail"

/**
 * `GET /admin/payment-webhooks/:id`: one delivery with its timeline (received, each attempt with its
 * error and the process it ran on, the verdict, replays) and the event as the processor mapped it.
 * Takes no query. 404 for an unknown id.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<PaymentWebhookDetail>): Promise<void> {
  res.json(await paymentWebhookDetail(req.scope, req.params.id))
}
