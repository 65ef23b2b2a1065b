import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { AdminApiError, BulkReplayRunAnswer } from "../../../../../../types/admin-api"
import { cancelReplayRun } from "../../../../../../webhooks/admin/bulk-replay"

/**
 * `POST /admin/payment-webhooks/replay/:run_id/cancel`: stops a running bulk replay. The rows it took
 * keep what the processor did to them; the rest are left as they are. Answers the run, `cancelled`;
 * 409 when it had ended already, 404 for an unknown run. Takes no query and no body.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse<BulkReplayRunAnswer | AdminApiError>): Promise<void> {
  const id = req.params.run_id
  const cancelled = await cancelReplayRun(req.scope, id)
  if (!cancelled) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Bulk replay run ${id} was not found`)
  }
  if (cancelled === "not_running") {
    res.status(409).json({ type: "conflict", message: `Bulk replay run ${id} has ended already: there is nothing to cancel` })
    return
  }
  res.json({ replay_run: cancelled })
}
