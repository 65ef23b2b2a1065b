import type { MedusaContainer } from "@medusajs/framework/types"
import type { BulkReplayRequest, BulkReplayResult, ProcessingStatus } from "../../types/admin-api"
import { processDelivery } from "../processor/process-delivery"
import { providerFilter, resolveInbox } from "./inbox"

/**
 * What a bulk replay takes, validated: rows of one status received since a moment, of one provider or
 * all, at most `limit` (kept small: the rows run inside one HTTP request; `remaining` says how many
 * more a next call takes), after the row `after` (the previous call's `next_after`, so rows that failed
 * again are not taken twice).
 */
export type BulkReplayInput = Required<Pick<BulkReplayRequest, "status" | "dry_run" | "limit">> &
  Pick<BulkReplayRequest, "provider" | "after"> & { since: Date }

/** Rows processed at once by one bulk replay; the processor's own turns bound it further. */
const PARALLEL = 4

/**
 * Replays the rows of one status received since a moment: each is put back in the queue and run
 * through the processor, as a single replay is. The processor never acts twice on what the store
 * already holds, so a repeated call is safe. A dry run only counts.
 */
export async function bulkReplay(container: MedusaContainer, input: BulkReplayInput): Promise<BulkReplayResult> {
  const inbox = resolveInbox(container)
  const { rows, total } = await inbox.replayCandidates({
    status: input.status,
    since: input.since,
    providerId: input.provider === undefined ? undefined : providerFilter(input.provider),
    after: input.after,
    limit: input.limit,
  })
  const remaining = total - rows.length
  const nextAfter = remaining > 0 ? rows[rows.length - 1].id : null
  if (input.dry_run) {
    const replayable = rows.filter((row) => row.replayable).length
    return { dry_run: true, count: rows.length, replayable, not_replayable: rows.length - replayable, remaining, next_after: nextAfter }
  }
  const results: Record<ProcessingStatus, number> = { processed: 0, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 }
  let notReplayable = 0
  let next = 0
  const work = async () => {
    while (next < rows.length) {
      const { id } = rows[next++]
      // Only if it still has the status it was picked for and no processor holds it: a row settled
      // `processed` meanwhile must not be run again (and its outcome overwritten), nor a claimed one reset.
      const requeued = await inbox.requeue(id, { expectedStatus: input.status })
      if (requeued === "no_body") {
        notReplayable++
      } else if (requeued !== "requeued") {
        results.skipped++
      } else {
        results[(await processDelivery(container, id, { evenIfBackingOff: true })).status]++
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, rows.length) }, work))
  return { dry_run: false, count: rows.length, results, not_replayable: notReplayable, remaining, next_after: nextAfter }
}
