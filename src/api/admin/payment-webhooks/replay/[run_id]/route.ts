import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { BulkReplayRunAnswer } from "../../../../../types/admin-api"
import { replayRunView } from "../../../../../webhooks/admin/bulk-replay"

/**
 * `GET /admin/payment-webhooks/replay/:run_id`: a bulk replay run as far as it got (rows taken of the
 * total, what became of them, its status); 404 for an unknown run. Takes no query.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<BulkReplayRunAnswer>): Promise<void> {
  const run = await replayRunView(req.scope, req.params.run_id)
  if (!run) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Bulk replay run ${req.params.run_id} was not found`)
  }
  res.json({ replay_run: run })
}
