import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "zod"
import { summarizePaymentWebhooks } from "../../../../webhooks/admin/summary"
import { parseInput } from "../query"

/**
 * `GET /admin/payment-webhooks/summary`: rows by status, how many need a person, and when the oldest
 * unprocessed one arrived (`{ counts, needs_attention, oldest_unprocessed_at }`). A static segment: Medusa
 * registers it before `:id`.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  parseInput(z.strictObject({}), req.query)
  res.json(await summarizePaymentWebhooks(req.scope))
}
