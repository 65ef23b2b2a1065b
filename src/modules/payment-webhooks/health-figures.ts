import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"

/** What the inbox holds that a person watching the store cares about; ages by the database's clock. */
export type InboxFigures = {
  /** Deliveries not settled yet (`received`, waiting or in backoff). */
  unprocessed: number
  /** Seconds since the oldest of them was received; null when there is none. */
  oldest_age_seconds: number | null
  /** Of them, those the job should have taken up already: due for longer than `overdueAfterSeconds`, nobody's claim on them. */
  overdue: number
  /** Deliveries that ended `failed` in the last 24 hours. */
  failures_24h: number
  /** Deliveries flagged for a person in the last 24 hours. */
  needs_attention_24h: number
}

/**
 * Reads the figures in one statement. `overdueAfterSeconds` is how long past due a delivery may wait
 * for the job before it counts as overdue (`redriveAfterSeconds` plus a few of the job's periods).
 */
export async function readInboxFigures(manager: SqlEntityManager, overdueAfterSeconds: number): Promise<InboxFigures> {
  const [row] = await manager.execute<Array<Record<keyof InboxFigures, number | null>>>(
    // Three parts, each on an index: the backlog (status), failures (status), settled rows of the day (the retention index).
    `WITH backlog AS (
       SELECT count(*)::int AS unprocessed,
              EXTRACT(EPOCH FROM now() - min(received_at))::float8 AS oldest_age_seconds,
              count(*) FILTER (WHERE received_at < now() - make_interval(secs => ?)
                AND (next_attempt_at IS NULL OR next_attempt_at < now() - make_interval(secs => ?))
                AND (lease_until IS NULL OR lease_until <= now()))::int AS overdue
       FROM payment_webhook_event WHERE deleted_at IS NULL AND status = 'received'
     ), failed AS (
       SELECT count(*)::int AS failures_24h, count(*) FILTER (WHERE needs_attention)::int AS needs_attention
       FROM payment_webhook_event WHERE deleted_at IS NULL AND status = 'failed' AND processed_at > now() - interval '24 hours'
     ), settled AS (
       SELECT count(*)::int AS needs_attention
       FROM payment_webhook_event WHERE deleted_at IS NULL AND status IN ('processed', 'ignored')
         AND processed_at > now() - interval '24 hours' AND needs_attention
     )
     SELECT backlog.unprocessed, backlog.oldest_age_seconds, backlog.overdue, failed.failures_24h,
            failed.needs_attention + settled.needs_attention AS needs_attention_24h
     FROM backlog, failed, settled`,
    [overdueAfterSeconds, overdueAfterSeconds]
  )
  return {
    unprocessed: row?.unprocessed ?? 0,
    oldest_age_seconds: row?.oldest_age_seconds === null || row?.oldest_age_seconds === undefined ? null : Math.round(row.oldest_age_seconds),
    overdue: row?.overdue ?? 0,
    failures_24h: row?.failures_24h ?? 0,
    needs_attention_24h: row?.needs_attention_24h ?? 0,
  }
}
