import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { OrderPaymentWebhooks } from "../../../../../types/admin-api"
import { orderWebhooksView } from "../../../../../webhooks/admin/order-view"

/**
 * `GET /admin/payment-webhooks/orders/:order_id`: the order's deliveries (newest first, up to 50) and
 * its payments, Medusa's amounts next to what the PSP shows (`psp: null` with `psp_error` when the
 * PSP cannot be read in time). The PSP's answer may be reused for up to 45 s: `psp_read_at` says when
 * it was given. Takes no query. 404 for an unknown order.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<OrderPaymentWebhooks>): Promise<void> {
  res.json(await orderWebhooksView(req.scope, req.params.order_id))
}
