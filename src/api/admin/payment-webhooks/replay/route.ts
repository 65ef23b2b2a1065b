import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { BulkReplayResult } from "../../../../types/admin-api"
import { bulkReplay } from "../../../../webhooks/admin/bulk-replay"
import type { AdminBulkReplayPaymentWebhooksType } from "../validators"

/**
 * `POST /admin/payment-webhooks/replay`: replays the rows of one status (default `failed`) received
 * since a moment, through the same processor as the job; `dry_run` only counts them. Safe to repeat.
 * Takes no query; the body is validated by `AdminBulkReplayPaymentWebhooks` (see `src/api/middlewares.ts`).
 */
export async function POST(req: MedusaRequest<AdminBulkReplayPaymentWebhooksType>, res: MedusaResponse<BulkReplayResult>): Promise<void> {
  res.json(await bulkReplay(req.scope, req.validatedBody))
}
