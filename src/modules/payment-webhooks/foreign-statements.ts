import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { INBOX_TABLE } from "./tables"

/**
 * Unverified deliveries of a provider (of another package) still waiting, counted up to `limit`: the
 * inner `LIMIT` stops the scan there, so the edge's check costs the same however many are waiting.
 */
export async function countUnverifiedWaiting(manager: SqlEntityManager, providerId: string, limit: number): Promise<number> {
  const [row] = await manager.execute<Array<{ waiting: number }>>(
    `SELECT count(*)::int AS waiting FROM (
       SELECT 1 FROM ${INBOX_TABLE}
       WHERE provider_id = ? AND verified = false AND status = 'received' AND deleted_at IS NULL
       LIMIT ?
     ) AS waiting`,
    [providerId, limit],
  )
  return row?.waiting ?? 0
}
