import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { INBOX_TABLE } from "./tables"
import type { InboxStatus } from "./types"

/**
 * The admin's reads that the module's generated list methods cannot express: the inbox's counts
 * grouped by status, and the rows a bulk replay takes with how many match in all.
 */

/** The inbox at a glance: rows by status, how many need a person, when the oldest unprocessed one arrived. */
export type InboxStatusSummary = {
  counts: Record<InboxStatus, number>
  needs_attention: number
  oldest_unprocessed_at: Date | null
}

const STATUSES: readonly InboxStatus[] = ["received", "processed", "ignored", "failed"]

/** The counts in one grouped statement. */
export async function summarizeInbox(manager: SqlEntityManager): Promise<InboxStatusSummary> {
  type Row = { status: string; rows: number; attention: number; oldest: Date | string | null }
  const rows = await manager.execute<Row[]>(
    `SELECT status, count(*)::int AS rows, (count(*) FILTER (WHERE needs_attention))::int AS attention,
            min(received_at) FILTER (WHERE status = 'received') AS oldest
     FROM ${INBOX_TABLE} WHERE deleted_at IS NULL GROUP BY status`,
  )
  const summary: InboxStatusSummary = {
    counts: { received: 0, processed: 0, ignored: 0, failed: 0 },
    needs_attention: 0,
    oldest_unprocessed_at: null,
  }
  for (const row of rows) {
    const status = STATUSES.find((known) => known === row.status)
    if (status) {
      summary.counts[status] = row.rows
    }
    summary.needs_attention += row.attention
    if (row.oldest) {
      summary.oldest_unprocessed_at = new Date(row.oldest)
    }
  }
  return summary
}

/**
 * Which rows a bulk replay takes: of one status, received since a moment, at most `limit`, oldest first.
 * `providerId` is the filter the generated list methods take for that column: a route key exactly, or
 * `{ $like }` for every key of an identifier (the caller escapes `_`).
 */
export type ReplayCandidateQuery = {
  status: InboxStatus
  since: Date
  providerId?: string | { $like: string }
  /** Only rows after this one, in the same order (the previous call's last row). */
  after?: string
  limit: number
}

/** A row a bulk replay may take; `replayable` is false once its raw body was dropped (a reconciliation row needs none). */
export type ReplayCandidate = { id: string; replayable: boolean }

/** The rows, and how many match in all (`limit` aside). */
export async function replayCandidates(
  manager: SqlEntityManager,
  query: ReplayCandidateQuery,
): Promise<{ rows: ReplayCandidate[]; total: number }> {
  const provider = query.providerId
  const providerSql = provider === undefined ? "" : typeof provider === "string" ? "AND provider_id = ?" : "AND provider_id LIKE ?"
  const providerArgs = provider === undefined ? [] : [typeof provider === "string" ? provider : provider.$like]
  // Rows after the previous call's last one, in the same order: a row that failed again stays behind.
  const afterSql = query.after === undefined ? "" : `AND (received_at, id) > (SELECT received_at, id FROM ${INBOX_TABLE} WHERE id = ?)`
  const afterArgs = query.after === undefined ? [] : [query.after]
  const rows = await manager.execute<Array<ReplayCandidate & { total: string | number }>>(
    `SELECT id, (raw_body IS NOT NULL OR source = 'reconciliation') AS replayable, count(*) OVER () AS total
     FROM ${INBOX_TABLE}
     WHERE deleted_at IS NULL AND status = ? AND received_at >= ? ${providerSql} ${afterSql}
     ORDER BY received_at, id
     LIMIT ?`,
    [query.status, query.since, ...providerArgs, ...afterArgs, query.limit],
  )
  return { rows: rows.map(({ id, replayable }) => ({ id, replayable })), total: rows.length ? Number(rows[0].total) : 0 }
}
