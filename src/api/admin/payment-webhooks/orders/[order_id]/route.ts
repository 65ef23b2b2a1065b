import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "zod"
import { orderWebhooksView } from "../../../../../webhooks/admin/order-view"
import { parseInput } from "../../query"

/**
 * `GET /admin/payment-webhooks/orders/:order_id`: the order's deliveries (newest first, up to 50) and
 * its payments, Medusa's amounts next to what the PSP shows now (`psp: null` with `psp_error` when the
 * PSP cannot be read). 404 for an unknown order.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  parseInput(z.strictObject({}), req.query)
  res.json(await orderWebhooksView(req.scope, req.params.order_id))
}
