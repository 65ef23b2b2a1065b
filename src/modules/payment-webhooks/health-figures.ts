import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { INBOX_TABLE } from "./tables"

/**
 * What the inbox holds that a person watching the store cares about; ages by the database's clock.
 * One reading serves the health check, the backlog's gauges and its alert, so they never disagree.
 */
export type InboxFigures = {
  /** Deliveries not settled yet (`received`, waiting, in backoff or being processed). */
  unprocessed: number
  /**
   * Seconds the longest-waiting due delivery has been due: its backoff over (or none), nobody's live
   * claim on it, aged from when it became due (its `next_attempt_at`, else its receipt). A delivery in
   * its ordinary backoff is not late, so it does not count. Null when none is due.
   */
  oldest_age_seconds: number | null
  /** That delivery and its provider's route key; null when none is due. */
  oldest_id: string | null
  oldest_provider_id: string | null
  /** Those the job should have taken up already: due for longer than `overdueAfterSeconds`, nobody's claim on them. */
  overdue: number
  /** Deliveries that ended `failed` in the last 24 hours. */
  failures_24h: number
  /** Deliveries flagged for a person in the last 24 hours. */
  needs_attention_24h: number
}

/** When a `received` row became due: its backoff's end, or its receipt when it never backed off. */
const DUE_SINCE = "COALESCE(next_attempt_at, received_at)"
/** No processor holds the row: never claimed, given back, or its lease ran out. */
const FREE = "(lease_until IS NULL OR lease_until <= now())"

/**
 * Reads the figures in one statement. `overdueAfterSeconds` is how long past due a delivery may wait
 * for the job before it counts as overdue (`redriveAfterSeconds` plus a few of the job's periods).
 */
export async function readInboxFigures(manager: SqlEntityManager, overdueAfterSeconds: number): Promise<InboxFigures> {
  type Row = Omit<InboxFigures, "oldest_age_seconds"> & { oldest_age_seconds: number | null }
  const [row] = await manager.execute<Row[]>(
    // Four parts, each on an index: the backlog and its oldest due row (status), failures (status),
    // settled rows of the day (the retention index).
    `WITH backlog AS (
       SELECT count(*)::int AS unprocessed,
              count(*) FILTER (WHERE ${DUE_SINCE} < now() - make_interval(secs => ?) AND ${FREE})::int AS overdue
       FROM ${INBOX_TABLE} WHERE deleted_at IS NULL AND status = 'received'
     ), oldest AS (
       SELECT id, provider_id, EXTRACT(EPOCH FROM now() - ${DUE_SINCE})::float8 AS age_seconds
       FROM ${INBOX_TABLE}
       WHERE deleted_at IS NULL AND status = 'received' AND ${DUE_SINCE} <= now() AND ${FREE}
       ORDER BY ${DUE_SINCE}, id
       LIMIT 1
     ), failed AS (
       SELECT count(*)::int AS failures_24h, count(*) FILTER (WHERE needs_attention)::int AS needs_attention
       FROM ${INBOX_TABLE} WHERE deleted_at IS NULL AND status = 'failed' AND processed_at > now() - interval '24 hours'
     ), settled AS (
       SELECT count(*)::int AS needs_attention
       FROM ${INBOX_TABLE} WHERE deleted_at IS NULL AND status IN ('processed', 'ignored')
         AND processed_at > now() - interval '24 hours' AND needs_attention
     )
     SELECT backlog.unprocessed, backlog.overdue, oldest.id AS oldest_id, oldest.provider_id AS oldest_provider_id,
            oldest.age_seconds AS oldest_age_seconds, failed.failures_24h,
            failed.needs_attention + settled.needs_attention AS needs_attention_24h
     FROM backlog CROSS JOIN failed CROSS JOIN settled LEFT JOIN oldest ON true`,
    [overdueAfterSeconds],
  )
  const age = row?.oldest_age_seconds
  return {
    unprocessed: row?.unprocessed ?? 0,
    oldest_age_seconds: age === null || age === undefined ? null : Math.max(Math.round(age), 0),
    oldest_id: row?.oldest_id ?? null,
    oldest_provider_id: row?.oldest_provider_id ?? null,
    overdue: row?.overdue ?? 0,
    failures_24h: row?.failures_24h ?? 0,
    needs_attention_24h: row?.needs_attention_24h ?? 0,
  }
}
