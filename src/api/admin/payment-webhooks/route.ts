import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listPaymentWebhooks } from "./list"
import { parseListQuery } from "./query"

/**
 * `GET /admin/payment-webhooks`: the deliveries recorded in the webhook inbox, newest first.
 * Filters: `provider`, `status`, `source`, `session_id`, `order_id`; pages: `limit` (≤ 100), `offset`.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  // Validated here rather than by a middleware entry, so the route is complete on its own.
  const query = parseListQuery(req.query)
  const { payment_webhooks, count } = await listPaymentWebhooks(req.scope, query)
  res.json({ payment_webhooks, count, limit: query.limit, offset: query.offset })
}
