import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { generateEntityId } from "@medusajs/framework/utils"
import type { ProcessingStatus } from "../../types/admin-api"
import { storableText } from "./storable-text"
import { REPLAY_RUN_TABLE } from "./tables"
import type { InboxStatus } from "./types"

/**
 * The statements of a bulk replay run's life (`models/replay-run.ts`): recorded once (at most one
 * `running` at a time), its progress written only by the process that holds it, taken over by another
 * once its heartbeat is stale, ended `done`, `failed` or `cancelled`. Each is one statement on the
 * primary key or on the partial unique index of running runs.
 */

/** Where a run stands. */
export type ReplayRunStatus = "running" | "done" | "failed" | "cancelled"

/** How the processor's run of each row taken ended, by its result. */
export type ReplayRunResults = Record<ProcessingStatus, number>

/** A run as the service answers it; instants by the database's clock. */
export type ReplayRunRow = {
  id: string
  status: ReplayRunStatus
  filter_status: InboxStatus
  filter_since: Date
  filter_until: Date
  filter_provider: string | null
  batch_size: number
  cursor: string | null
  total: number
  results: ReplayRunResults
  not_replayable: number
  requested_by: string | null
  heartbeat_at: Date
  finished_at: Date | null
  last_error: string | null
  created_at: Date
  updated_at: Date
}

/** What a run records when it is asked for. */
export type NewReplayRun = Pick<
  ReplayRunRow,
  "filter_status" | "filter_since" | "filter_until" | "filter_provider" | "batch_size" | "cursor" | "total" | "requested_by"
>

/** How far a run got: the last row taken, and what became of the rows taken so far. */
export type ReplayRunProgress = Pick<ReplayRunRow, "cursor" | "results" | "not_replayable">

/** How a held run ends: `done` (every row it matched taken) or `failed` (with why), with its last progress. */
export type ReplayRunEnding = ReplayRunProgress & { status: "done" | "failed"; error: string | null }

/** A run held by one process: only the holder of `token` writes its progress or ends it. */
export type ReplayRunClaim = { run: ReplayRunRow; token: string }

/** Counts of a run that took nothing yet. */
export function noReplayResults(): ReplayRunResults {
  return { processed: 0, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 }
}

const COLUMNS = `id, status, filter_status, filter_since, filter_until, filter_provider, batch_size, cursor, total, results,
  not_replayable, requested_by, heartbeat_at, finished_at, last_error, created_at, updated_at`

/** The row as the driver returns it, its counts completed (a key missing from the stored JSON counts 0). */
function asRun(row: ReplayRunRow): ReplayRunRow {
  return { ...row, results: { ...noReplayResults(), ...row.results } }
}

/**
 * Records a run, `running` and held under `token`, unless another is running: then nothing is written
 * and the answer is null (the partial unique index decides, so two requests at once never both start one).
 */
export async function insertReplayRun(manager: SqlEntityManager, input: NewReplayRun, token: string): Promise<ReplayRunRow | null> {
  const rows = await manager.execute<ReplayRunRow[]>(
    `INSERT INTO ${REPLAY_RUN_TABLE} (id, status, filter_status, filter_since, filter_until, filter_provider, batch_size, cursor, total,
       results, not_replayable, requested_by, runner_token, heartbeat_at, created_at, updated_at)
     VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 0, ?, ?, now(), now(), now())
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      generateEntityId(undefined, "pwhrpl"),
      input.filter_status,
      input.filter_since,
      input.filter_until,
      input.filter_provider,
      input.batch_size,
      input.cursor,
      input.total,
      JSON.stringify(noReplayResults()),
      input.requested_by === null ? null : storableText(input.requested_by),
      token,
    ],
  )
  return rows[0] ? asRun(rows[0]) : null
}

/** One run by id; null when there is none. */
export async function readReplayRun(manager: SqlEntityManager, id: string): Promise<ReplayRunRow | null> {
  const rows = await manager.execute<ReplayRunRow[]>(`SELECT ${COLUMNS} FROM ${REPLAY_RUN_TABLE} WHERE id = ? AND deleted_at IS NULL`, [id])
  return rows[0] ? asRun(rows[0]) : null
}

/** The run `running` now, if any (there is at most one). */
export async function readRunningReplayRun(manager: SqlEntityManager): Promise<ReplayRunRow | null> {
  const rows = await manager.execute<ReplayRunRow[]>(
    `SELECT ${COLUMNS} FROM ${REPLAY_RUN_TABLE} WHERE status = 'running' AND deleted_at IS NULL LIMIT 1`,
  )
  return rows[0] ? asRun(rows[0]) : null
}

/**
 * Takes over the running run whose heartbeat is older than `staleSeconds` (its process died), under a
 * new `token`. One UPDATE: of two processes trying at once, the second finds the heartbeat fresh
 * again when it gets the row, and takes nothing.
 */
export async function claimStaleReplayRun(manager: SqlEntityManager, token: string, staleSeconds: number): Promise<ReplayRunRow | null> {
  const rows = await manager.execute<ReplayRunRow[]>(
    `UPDATE ${REPLAY_RUN_TABLE} SET runner_token = ?, heartbeat_at = now(), updated_at = now()
     WHERE status = 'running' AND deleted_at IS NULL AND heartbeat_at < now() - make_interval(secs => ?)
     RETURNING ${COLUMNS}`,
    [token, staleSeconds],
  )
  return rows[0] ? asRun(rows[0]) : null
}

/**
 * Writes how far the run got (with `progress`) or only that its process is alive (without), while
 * `token` still holds it and it is still running; false once it does not (cancelled, or taken over).
 */
export async function noteReplayRunAlive(manager: SqlEntityManager, claim: ReplayRunClaim, progress?: ReplayRunProgress): Promise<boolean> {
  const set = progress ? "cursor = ?, results = ?::jsonb, not_replayable = ?," : ""
  const args = progress ? [progress.cursor, JSON.stringify(progress.results), progress.not_replayable] : []
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${REPLAY_RUN_TABLE} SET ${set} heartbeat_at = now(), updated_at = now()
     WHERE id = ? AND runner_token = ? AND status = 'running' AND deleted_at IS NULL
     RETURNING id`,
    [...args, claim.run.id, claim.token],
  )
  return rows.length > 0
}

/** Ends a run `done` or `failed` with its last progress, while `token` still holds it; null when it no longer did. */
export async function finishReplayRun(
  manager: SqlEntityManager,
  claim: ReplayRunClaim,
  ending: ReplayRunEnding,
): Promise<ReplayRunRow | null> {
  const rows = await manager.execute<ReplayRunRow[]>(
    `UPDATE ${REPLAY_RUN_TABLE}
     SET status = ?, cursor = ?, results = ?::jsonb, not_replayable = ?, last_error = ?, runner_token = NULL,
         finished_at = now(), heartbeat_at = now(), updated_at = now()
     WHERE id = ? AND runner_token = ? AND status = 'running' AND deleted_at IS NULL
     RETURNING ${COLUMNS}`,
    [
      ending.status,
      ending.cursor,
      JSON.stringify(ending.results),
      ending.not_replayable,
      ending.error === null ? null : storableText(ending.error.slice(0, 2000)),
      claim.run.id,
      claim.token,
    ],
  )
  return rows[0] ? asRun(rows[0]) : null
}

/**
 * Stops a running run: it ends `cancelled` with the progress its process last wrote, and that process
 * stops at its next write (its claim no longer holds). Null when the run is not running.
 */
export async function cancelReplayRun(manager: SqlEntityManager, id: string): Promise<ReplayRunRow | null> {
  const rows = await manager.execute<ReplayRunRow[]>(
    `UPDATE ${REPLAY_RUN_TABLE} SET status = 'cancelled', runner_token = NULL, finished_at = now(), updated_at = now()
     WHERE id = ? AND status = 'running' AND deleted_at IS NULL
     RETURNING ${COLUMNS}`,
    [id],
  )
  return rows[0] ? asRun(rows[0]) : null
}
