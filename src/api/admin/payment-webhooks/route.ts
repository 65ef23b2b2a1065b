import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listPaymentWebhooks } from "./list"
import { parseListQuery } from "./query"

/**
 * `GET /admin/payment-webhooks`: the deliveries recorded in the webhook inbox, newest first.
 * Filters: `provider`, `status`, `source`, `session_id`, `order_id`, `needs_attention`, `received_from` (inclusive),
 * `received_to` (exclusive), and `q` (exact: row id, session, order, PSP event id or PSP payment id); pages: `limit` (≤ 100), `offset`.
 * Each row carries the order its session became (`order_id`), `psp_reference` and `needs_attention`.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  // Validated here rather than by a middleware entry, so the route is complete on its own.
  const query = parseListQuery(req.query)
  const { payment_webhooks, count } = await listPaymentWebhooks(req.scope, query)
  res.json({ payment_webhooks, count, limit: query.limit, offset: query.offset })
}
