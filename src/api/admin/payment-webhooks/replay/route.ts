import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { BulkReplayBusy, BulkReplayResult } from "../../../../types/admin-api"
import { bulkReplay } from "../../../../webhooks/admin/bulk-replay"
import type { AdminBulkReplayPaymentWebhooksType } from "../validators"

/**
 * `POST /admin/payment-webhooks/replay`: replays the rows of one status (default `failed`) received
 * since a moment, through the same processor as the job. `dry_run` counts them at once (200). A real
 * replay records a run and answers it at once (202; 200 when nothing matched and it is done already):
 * the rows are replayed in the background, followed with `GET /admin/payment-webhooks/replay/:run_id`.
 * One run at a time: `409` names the run still running. Safe to repeat. Takes no query; the body is
 * validated by `AdminBulkReplayPaymentWebhooks` (see `src/api/middlewares.ts`).
 */
export async function POST(
  req: AuthenticatedMedusaRequest<AdminBulkReplayPaymentWebhooksType>,
  res: MedusaResponse<BulkReplayResult | BulkReplayBusy>,
): Promise<void> {
  const outcome = await bulkReplay(req.scope, req.validatedBody, req.auth_context?.actor_id || null)
  if (outcome.kind === "dry_run") {
    res.json(outcome.answer)
  } else if (outcome.kind === "started") {
    res.status(outcome.run.status === "running" ? 202 : 200).json({ dry_run: false, replay_run: outcome.run })
  } else {
    // Medusa's error handler gives every conflict one generic message: this one says which run and what to do.
    res.status(409).json({
      type: "conflict",
      message: outcome.running
        ? `Bulk replay ${outcome.running.id} is still running (${outcome.running.taken} of ${outcome.running.total} taken): follow it, or cancel it, before starting another`
        : "Another bulk replay was running a moment ago: try again",
      replay_run: outcome.running,
    })
  }
}
