import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { PaymentWebhookSummary } from "../../../../types/admin-api"
import { summarizePaymentWebhooks } from "../../../../webhooks/admin/summary"

/**
 * `GET /admin/payment-webhooks/summary`: rows by status, how many need a person, and when the oldest
 * unprocessed one arrived (`{ counts, needs_attention, oldest_unprocessed_at }`). Takes no query. A
 * static segment: Medusa registers it before `:id`.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<PaymentWebhookSummary>): Promise<void> {
  res.json(await summarizePaymentWebhooks(req.scope))
}
