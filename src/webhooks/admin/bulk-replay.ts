import type { MedusaContainer } from "@medusajs/framework/types"
import { processDelivery, type ProcessResult } from "../processor/process-delivery"
import { database, resolveInbox } from "./inbox"

/**
 * What a bulk replay takes: rows of one status received since a moment, of one provider or all, at most
 * `limit` (kept small: the rows run inside one HTTP request; `remaining` says how many more a next call takes).
 */
export type BulkReplayInput = {
  since: Date
  status: "failed" | "received" | "ignored"
  provider?: string
  dry_run: boolean
  limit: number
  /** Continue after this row (the `next_after` of the previous call), so rows that failed again are not taken twice. */
  after?: string
}

/** How many rows each ending came to. */
export type BulkReplayResults = Record<ProcessResult["status"], number>

/** A dry run's answer: how many rows a replay would touch, nothing changed. */
export type BulkReplayDryRun = { dry_run: true; count: number; replayable: number; not_replayable: number; remaining: number; next_after: string | null }

/** A replay's answer: how each row ended, how many could not be replayed (raw body gone), and how many match beyond `limit`. */
export type BulkReplayDone = { dry_run: false; count: number; results: BulkReplayResults; not_replayable: number; remaining: number; next_after: string | null }

type Candidate = { id: string; replayable: boolean; total: string | number }

/** Rows processed at once by one bulk replay; the processor's own turns bound it further. */
const PARALLEL = 4

/** The rows a bulk replay takes, oldest first, and how many match in all. */
async function candidates(container: MedusaContainer, input: BulkReplayInput): Promise<{ rows: Candidate[]; total: number }> {
  const key = input.provider?.replace(/^pp_/, "")
  // A route key matches exactly; an identifier matches each of its keys (`stripe` → `stripe_…`, `_` escaped).
  const providerSql = key === undefined ? "" : key.includes("_") ? "AND provider_id = ?" : "AND provider_id LIKE ?"
  const providerArgs = key === undefined ? [] : [key.includes("_") ? key : `${key}\\_%`]
  // Rows after the previous call's last one, in the same order: a row that failed again stays behind.
  const afterSql = input.after === undefined ? "" : "AND (received_at, id) > (SELECT received_at, id FROM payment_webhook_event WHERE id = ?)"
  const afterArgs = input.after === undefined ? [] : [input.after]
  const { rows } = await database(container).raw(
    `SELECT id, (raw_body IS NOT NULL OR source = 'reconciliation') AS replayable, count(*) OVER () AS total
     FROM payment_webhook_event
     WHERE deleted_at IS NULL AND status = ? AND received_at >= ? ${providerSql} ${afterSql}
     ORDER BY received_at, id
     LIMIT ?`,
    [input.status, input.since, ...providerArgs, ...afterArgs, input.limit]
  )
  const found = rows as Candidate[]
  return { rows: found, total: found.length ? Number(found[0].total) : 0 }
}

/**
 * Replays the rows of one status received since a moment: each is put back in the queue and run
 * through the processor, as a single replay is. The processor never acts twice on what the store
 * already holds, so a repeated call is safe. A dry run only counts.
 */
export async function bulkReplay(container: MedusaContainer, input: BulkReplayInput): Promise<BulkReplayDryRun | BulkReplayDone> {
  const { rows, total } = await candidates(container, input)
  const remaining = total - rows.length
  const nextAfter = remaining > 0 ? rows[rows.length - 1].id : null
  if (input.dry_run) {
    const replayable = rows.filter((row) => row.replayable).length
    return { dry_run: true, count: rows.length, replayable, not_replayable: rows.length - replayable, remaining, next_after: nextAfter }
  }
  const inbox = resolveInbox(container)
  const results: BulkReplayResults = { processed: 0, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 }
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
