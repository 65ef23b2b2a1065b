import { setTimeout as sleep } from "node:timers/promises"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { STATEMENT_TIMEOUTS_MS, withStatementTimeout } from "./statement-timeout"
import { INBOX_TABLE, RECONCILIATION_CHECK_TABLE } from "./tables"

/**
 * How one prune runs: rows older than `olderThanDays`, `batchSize` per statement, batches for up to
 * `budgetMs`, resting `restRatio` times as long as each batch took before the next.
 */
export type PruneOptions = { olderThanDays: number; batchSize: number; budgetMs: number; restRatio: number }

/**
 * How a pass of the job paces its retention (the raw-body drop, and the deletes of settled rows,
 * forgeries and reconciliation notes): statements of 250 rows, a few seconds in all, and after each a
 * rest three times as long as it took. Retention competes with the edge's inserts for the same disk,
 * WAL and cores; working a quarter of the time, a million-row backlog still went at 1 500 bodies
 * dropped and 6 000 rows deleted a second, rests included: millions a day. With acks running on a
 * million-row table, the drop at 500 rows and a rest as long hurt the edge's p99 more than the prune
 * at this pacing in the same runs (see the benchmark's maintenance figures), so both go at this one.
 */
export const PRUNE_DEFAULTS = { batchSize: 250, budgetMs: 5000, restRatio: 3 } as const

/**
 * One batch of settled deliveries past their age: `processed` or `ignored`, not waiting on a person
 * (`needs_attention`). `failed` rows are never taken: a person may still replay or refund them.
 * `SKIP LOCKED` passes over a row a processor or a duplicate insert holds, so neither waits on the
 * delete, and the delete never waits on them; the batch's size keeps each statement short.
 */
const DELETE_SETTLED_BATCH = `WITH doomed AS (
    SELECT id FROM ${INBOX_TABLE}
    WHERE status IN ('processed', 'ignored') AND deleted_at IS NULL
      AND processed_at < now() - make_interval(days => ?)
      AND needs_attention = false
    ORDER BY processed_at
    LIMIT ?
    FOR UPDATE SKIP LOCKED
  ), deleted AS (
    DELETE FROM ${INBOX_TABLE} e USING doomed WHERE e.id = doomed.id RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`

/**
 * Reconciliation's notes on sessions last looked at longer ago than the horizon: those sessions are
 * past the window and never looked up again (a session is older than its last check). Should one be
 * looked up after all, it merely starts its backoff afresh.
 */
const DELETE_CHECKS_BATCH = `WITH doomed AS (
    SELECT id FROM ${RECONCILIATION_CHECK_TABLE}
    WHERE deleted_at IS NULL AND last_checked_at < now() - make_interval(secs => ?)
    ORDER BY last_checked_at
    LIMIT ?
    FOR UPDATE SKIP LOCKED
  ), deleted AS (
    DELETE FROM ${RECONCILIATION_CHECK_TABLE} c USING doomed WHERE c.id = doomed.id RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`

/*
 * Each batch takes the oldest rows first (`ORDER BY` the column its partial index holds): besides
 * being the fair order, it keeps the plan on the index. Without it, a `LIMIT` over rows the planner
 * believes common makes a sequential scan look cheap, and on a large table it is not.
 */

/**
 * Runs one batch statement (each under the maintenance statement timeout) again while batches come
 * back full and the budget lasts, resting after each; answers how many rows it took.
 */
async function inBatches(
  manager: SqlEntityManager,
  sql: string,
  age: number,
  options: Omit<PruneOptions, "olderThanDays">,
): Promise<number> {
  const started = Date.now()
  let total = 0
  for (;;) {
    const batchStarted = Date.now()
    const [row] = await withStatementTimeout(manager, STATEMENT_TIMEOUTS_MS.maintenance, (inTimeout) =>
      inTimeout.execute<Array<{ deleted: number }>>(sql, [age, options.batchSize]),
    )
    const deleted = row?.deleted ?? 0
    total += deleted
    if (deleted < options.batchSize || Date.now() - started >= options.budgetMs) {
      return total
    }
    await sleep((Date.now() - batchStarted) * options.restRatio)
  }
}

/**
 * Deletes settled deliveries older than `olderThanDays` (by when they settled), batch after batch,
 * each its own short statement, for at most about `budgetMs`. `0` days deletes nothing (keep every row).
 */
export async function pruneSettledDeliveries(manager: SqlEntityManager, options: PruneOptions): Promise<number> {
  if (options.olderThanDays <= 0) {
    return 0
  }
  return inBatches(manager, DELETE_SETTLED_BATCH, options.olderThanDays, options)
}

/** Deletes reconciliation checks not made for longer than `horizonSeconds`, in batches, for at most about `budgetMs`. */
export async function pruneReconciliationChecks(
  manager: SqlEntityManager,
  options: Omit<PruneOptions, "olderThanDays"> & { horizonSeconds: number },
): Promise<number> {
  return inBatches(manager, DELETE_CHECKS_BATCH, options.horizonSeconds, options)
}

/**
 * Deliveries that failed their verification (recorded unverified at the edge, refused by their
 * provider's own check): `ignored`, their bodies already dropped, kept a day for a person to see the
 * attempt, then deleted in short batches like settled rows.
 */
const DELETE_FORGERIES_BATCH = `WITH doomed AS (
    SELECT id FROM ${INBOX_TABLE}
    WHERE verified = false AND status = 'ignored' AND deleted_at IS NULL
      AND processed_at < now() - make_interval(days => ?)
    ORDER BY processed_at
    LIMIT ?
    FOR UPDATE SKIP LOCKED
  ), deleted AS (
    DELETE FROM ${INBOX_TABLE} e USING doomed WHERE e.id = doomed.id RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`

/**
 * Raw bodies of settled deliveries past their age: `processed` or `ignored` and not waiting on a
 * person. A `failed` row, or one flagged for a person, keeps its body until a person settles it, so
 * it can always be replayed. The partial index holds only the rows still to be dropped.
 */
const DROP_RAW_BODIES_BATCH = `WITH doomed AS (
    SELECT id FROM ${INBOX_TABLE}
    WHERE raw_body IS NOT NULL AND status IN ('processed', 'ignored') AND needs_attention = false AND deleted_at IS NULL
      AND processed_at < now() - make_interval(days => ?)
    ORDER BY processed_at
    LIMIT ?
    FOR UPDATE SKIP LOCKED
  ), dropped AS (
    UPDATE ${INBOX_TABLE} e SET raw_body = NULL FROM doomed WHERE e.id = doomed.id RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM dropped`

/** Drops the raw bodies of settled deliveries older than `olderThanDays`, in paced batches. Answers how many. */
export async function dropSettledRawBodies(manager: SqlEntityManager, options: PruneOptions): Promise<number> {
  return inBatches(manager, DROP_RAW_BODIES_BATCH, options.olderThanDays, options)
}

/** Deletes forged deliveries older than a day, in short batches for at most `budgetMs`. Answers how many. */
export async function pruneForgeries(manager: SqlEntityManager, options: Omit<PruneOptions, "olderThanDays">): Promise<number> {
  return inBatches(manager, DELETE_FORGERIES_BATCH, 1, options)
}
