import type { MedusaContainer } from "@medusajs/framework/types"
import { noReplayResults, type ReplayRunRow } from "../../modules/payment-webhooks/replay-runs"
import type { BulkReplayDryRun, BulkReplayRequest, BulkReplayRun } from "../../types/admin-api"
import { providerFilter, resolveInbox } from "./inbox"
import { startDriving } from "./background-replay"

/**
 * What a bulk replay takes, validated: rows of one status received since a moment, of one provider or
 * all, after the row `after` (a dry run's `next_after`). A dry run counts `limit` of them; a real replay
 * takes every one that matches when it is asked for, `limit` per batch.
 */
export type BulkReplayInput = Required<Pick<BulkReplayRequest, "status" | "dry_run" | "limit">> &
  Pick<BulkReplayRequest, "provider" | "after"> & { since: Date }

/** How a bulk replay request ended: counted (a dry run), started (or done at once, nothing matching), or refused while another runs. */
export type BulkReplayOutcome =
  { kind: "dry_run"; answer: BulkReplayDryRun } | { kind: "started"; run: BulkReplayRun } | { kind: "busy"; running: BulkReplayRun | null }

/** An instant as the contract gives it. */
const iso = (value: Date | string) => new Date(value).toISOString()

/** A run as the admin contract shows it. */
export function toBulkReplayRun(row: ReplayRunRow): BulkReplayRun {
  const results = { ...noReplayResults(), ...row.results }
  return {
    id: row.id,
    status: row.status,
    filter: { status: row.filter_status, since: iso(row.filter_since), until: iso(row.filter_until), provider: row.filter_provider },
    total: row.total,
    taken: Object.values(results).reduce((sum, n) => sum + n, 0) + row.not_replayable,
    results,
    not_replayable: row.not_replayable,
    batch_size: row.batch_size,
    cursor: row.cursor,
    requested_by: row.requested_by,
    last_error: row.last_error,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    heartbeat_at: iso(row.heartbeat_at),
    finished_at: row.finished_at === null ? null : iso(row.finished_at),
  }
}

/**
 * A bulk replay: a dry run counts the rows at once (nothing changes). A real one records a run and
 * answers it at once; the run goes on in this process, in the background (see `replay-run.ts`), and its
 * progress is read back with {@link replayRunView}. One run at a time: while one is running, nothing
 * starts and the answer names the running one. The processor never acts twice on what the store
 * already holds, so a repeated replay is safe.
 */
export async function bulkReplay(
  container: MedusaContainer,
  input: BulkReplayInput,
  requestedBy: string | null,
): Promise<BulkReplayOutcome> {
  const inbox = resolveInbox(container)
  // Rows received from now on are not this run's: the run takes what matches when it is asked for.
  const until = new Date()
  const providerId = input.provider === undefined ? undefined : providerFilter(input.provider)
  const { rows, total } = await inbox.replayCandidates({
    status: input.status,
    since: input.since,
    until: input.dry_run ? undefined : until,
    providerId,
    after: input.after,
    // A real run only needs the count here: it reads its rows batch by batch as it goes.
    limit: input.dry_run ? input.limit : 1,
  })
  if (input.dry_run) {
    const remaining = total - rows.length
    const replayable = rows.filter((row) => row.replayable).length
    const answer: BulkReplayDryRun = {
      dry_run: true,
      count: rows.length,
      replayable,
      not_replayable: rows.length - replayable,
      remaining,
      next_after: remaining > 0 ? rows[rows.length - 1].id : null,
    }
    return { kind: "dry_run", answer }
  }
  const started = await inbox.replayRuns.start({
    filter_status: input.status,
    filter_since: input.since,
    filter_until: until,
    filter_provider: input.provider ?? null,
    batch_size: input.limit,
    cursor: input.after ?? null,
    total,
    requested_by: requestedBy,
  })
  if ("running" in started) {
    return { kind: "busy", running: started.running && toBulkReplayRun(started.running) }
  }
  if (total === 0) {
    // Nothing to take: the run is done before it starts, and the caller need not follow it.
    const done = await inbox.replayRuns.finish(started, {
      cursor: started.run.cursor,
      results: noReplayResults(),
      not_replayable: 0,
      status: "done",
      error: null,
    })
    return { kind: "started", run: toBulkReplayRun(done ?? started.run) }
  }
  startDriving(container, started)
  return { kind: "started", run: toBulkReplayRun(started.run) }
}

/** A run as far as it got; null when there is none. */
export async function replayRunView(container: MedusaContainer, id: string): Promise<BulkReplayRun | null> {
  const run = await resolveInbox(container).replayRuns.read(id)
  return run && toBulkReplayRun(run)
}

/** Stops a running run: the run as it stands then, `not_running` when it had ended already, null when there is none. */
export async function cancelReplayRun(container: MedusaContainer, id: string): Promise<BulkReplayRun | "not_running" | null> {
  const inbox = resolveInbox(container)
  const cancelled = await inbox.replayRuns.cancel(id)
  if (cancelled) {
    return toBulkReplayRun(cancelled)
  }
  return (await inbox.replayRuns.read(id)) ? "not_running" : null
}
