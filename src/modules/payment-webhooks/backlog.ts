import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"

/** The deliveries not processed yet (`received`), and the oldest of them. Ages by the database's clock. */
export type Backlog = {
  count: number
  /** Seconds since the oldest was received; 0 when there is none. */
  oldest_age_seconds: number
  oldest_id: string | null
  oldest_provider_id: string | null
}

/**
 * Reads the backlog in one statement: a count and the oldest row, both on `status = 'received'`
 * (indexed), which a healthy store keeps to a handful of rows.
 */
export async function readBacklog(manager: SqlEntityManager): Promise<Backlog> {
  const [row] = await manager.execute<Array<{ count: number; oldest_age_seconds: number | null; oldest_id: string | null; oldest_provider_id: string | null }>>(
    `SELECT backlog.count, oldest.id AS oldest_id, oldest.provider_id AS oldest_provider_id,
            EXTRACT(EPOCH FROM now() - oldest.received_at)::float8 AS oldest_age_seconds
     FROM (SELECT count(*)::int AS count FROM payment_webhook_event WHERE deleted_at IS NULL AND status = 'received') backlog
     LEFT JOIN LATERAL (
       SELECT id, provider_id, received_at FROM payment_webhook_event
       WHERE deleted_at IS NULL AND status = 'received' ORDER BY received_at LIMIT 1
     ) oldest ON true`
  )
  return {
    count: row?.count ?? 0,
    oldest_age_seconds: Math.max(Math.round(row?.oldest_age_seconds ?? 0), 0),
    oldest_id: row?.oldest_id ?? null,
    oldest_provider_id: row?.oldest_provider_id ?? null,
  }
}
