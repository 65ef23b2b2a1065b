import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { PaymentWebhookList } from "../../../types/admin-api"
import { listPaymentWebhooks } from "../../../webhooks/admin/list"
import type { AdminGetPaymentWebhooksParamsType } from "./validators"

/**
 * `GET /admin/payment-webhooks`: the deliveries recorded in the webhook inbox, newest first.
 * Filters: `provider`, `status`, `source`, `session_id`, `order_id`, `needs_attention`, `received_from` (inclusive),
 * `received_to` (exclusive), and `q` (exact: row id, session, order, PSP event id or PSP payment id); pages: `limit` (≤ 100), `offset`.
 * Each row carries the order its session became (`order_id`), `psp_reference` and `needs_attention`.
 * The query is validated by `AdminGetPaymentWebhooksParams` (see `src/api/middlewares.ts`).
 */
export async function GET(
  req: MedusaRequest<unknown, AdminGetPaymentWebhooksParamsType>,
  res: MedusaResponse<PaymentWebhookList>,
): Promise<void> {
  res.json(await listPaymentWebhooks(req.scope, req.validatedQuery))
}
