import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { INBOX_TABLE } from "./tables"
import type { InboxSource, InboxStatus } from "./types"

/**
 * The admin's reads of the inbox: its counts, one page of the list, the rows a bulk replay takes.
 * Each runs on an index (see indexes.ts) and counts no further than {@link COUNT_CAP}: on a table of
 * a million rows an exact count walks the million, and a person needs to know "more than 10 000",
 * not the exact figure. The service runs them under the admin's statement timeout.
 */

/** Counts stop here; a count that reaches it reads "10 000 or more". Also the deepest `offset` the list pages to. */
export const COUNT_CAP = 10_000

/** A provider's rows: one route key exactly, or every key of an identifier (`{ $like: "stripe\\_%" }`). */
export type ProviderMatch = string | { $like: string }

/** The inbox at a glance: rows by status, how many need a person, when the oldest unprocessed one arrived. */
export type InboxStatusSummary = {
  /** Rows by status, each counted up to {@link COUNT_CAP}. */
  counts: Record<InboxStatus, number>
  /** Rows a person must look at, counted up to {@link COUNT_CAP}. */
  needs_attention: number
  /** The count every figure above stops at: a figure equal to it means at least that many. */
  count_cap: number
  oldest_unprocessed_at: Date | null
}

const STATUSES: readonly InboxStatus[] = ["received", "processed", "ignored", "failed"]

/** `count(*)` of a filter, stopping at {@link COUNT_CAP}: the inner `LIMIT` ends the index walk there. */
const cappedCount = (where: string) =>
  `(SELECT count(*)::int FROM (SELECT 1 FROM ${INBOX_TABLE} WHERE deleted_at IS NULL AND ${where} LIMIT ${COUNT_CAP}) AS capped)`

/** The counts in one statement: each status on the status index, the flagged rows on their own. */
export async function summarizeInbox(manager: SqlEntityManager): Promise<InboxStatusSummary> {
  const [row] = await manager.execute<Array<Record<string, number | Date | string | null>>>(
    `SELECT ${STATUSES.map((status) => `${cappedCount(`status = '${status}'`)} AS ${status}`).join(", ")},
            ${cappedCount("needs_attention")} AS needs_attention,
            (SELECT min(received_at) FROM ${INBOX_TABLE} WHERE deleted_at IS NULL AND status = 'received') AS oldest`,
  )
  const count = (value: unknown) => (typeof value === "number" ? value : 0)
  const oldest = row?.oldest
  return {
    counts: { received: count(row?.received), processed: count(row?.processed), ignored: count(row?.ignored), failed: count(row?.failed) },
    needs_attention: count(row?.needs_attention),
    count_cap: COUNT_CAP,
    oldest_unprocessed_at: oldest ? new Date(oldest) : null,
  }
}

/** Keys a row may match by: any of them (a search, an order's deliveries). An empty group matches nothing. */
export type DeliveryKeys = { ids?: string[]; sessionIds?: string[]; eventIds?: string[]; pspReferences?: string[] }

/** Which deliveries the admin list shows: every given field must hold. */
export type DeliveryListFilter = {
  providerId?: ProviderMatch
  status?: InboxStatus
  source?: InboxSource
  needsAttention?: boolean
  /** Received at or after. */
  receivedFrom?: Date
  /** Received before. */
  receivedTo?: Date
  sessionId?: string
  /** Each group must match (by any of its keys). */
  keyGroups?: DeliveryKeys[]
}

/** A statement's `WHERE` and its bindings. */
type Where = { sql: string; args: unknown[] }

/** The column each kind of key is looked up in (each has an index). */
const KEY_COLUMNS: ReadonlyArray<readonly [keyof DeliveryKeys, string]> = [
  ["ids", "id"],
  ["sessionIds", "session_id"],
  ["eventIds", "event_id"],
  ["pspReferences", "psp_reference"],
]

/** `provider_id` as {@link ProviderMatch} asks. */
function providerWhere(provider: ProviderMatch): Where {
  return typeof provider === "string" ? { sql: "provider_id = ?", args: [provider] } : { sql: "provider_id LIKE ?", args: [provider.$like] }
}

/** The `WHERE` of a list filter; every column it names has an index of its own (see indexes.ts). */
function listWhere(filter: DeliveryListFilter): Where {
  const parts: Where[] = [{ sql: "deleted_at IS NULL", args: [] }]
  if (filter.providerId !== undefined) {
    parts.push(providerWhere(filter.providerId))
  }
  const equal: Array<[string, unknown]> = [
    ["status", filter.status],
    ["source", filter.source],
    ["session_id", filter.sessionId],
  ]
  for (const [column, value] of equal) {
    if (value !== undefined) {
      parts.push({ sql: `${column} = ?`, args: [value] })
    }
  }
  if (filter.needsAttention !== undefined) {
    parts.push({ sql: filter.needsAttention ? "needs_attention" : "NOT needs_attention", args: [] })
  }
  if (filter.receivedFrom) {
    parts.push({ sql: "received_at >= ?", args: [filter.receivedFrom] })
  }
  if (filter.receivedTo) {
    parts.push({ sql: "received_at < ?", args: [filter.receivedTo] })
  }
  for (const group of filter.keyGroups ?? []) {
    const any = KEY_COLUMNS.flatMap(([key, column]) => {
      const values = group[key] ?? []
      return values.length ? [{ sql: `${column} IN (${values.map(() => "?").join(", ")})`, args: values }] : []
    })
    parts.push(
      any.length
        ? { sql: `(${any.map((part) => part.sql).join(" OR ")})`, args: any.flatMap((part) => part.args) }
        : { sql: "false", args: [] },
    )
  }
  return { sql: parts.map((part) => part.sql).join(" AND "), args: parts.flatMap((part) => part.args) }
}

/** One page of the list: its rows' ids, newest first, and how many match, counted up to {@link COUNT_CAP}. */
export type DeliveryPage = { ids: string[]; count: number; count_capped: boolean }

/**
 * The ids of one page of deliveries, newest first (received, then id), and the capped count. `offset`
 * is bounded by {@link COUNT_CAP} (the validator refuses deeper): past it, narrow the filter instead.
 */
export async function pageOfDeliveries(
  manager: SqlEntityManager,
  filter: DeliveryListFilter,
  page: { limit: number; offset: number },
): Promise<DeliveryPage> {
  const where = listWhere(filter)
  const offset = Math.min(page.offset, COUNT_CAP)
  const rows = await manager.execute<Array<{ id: string }>>(
    `SELECT id FROM ${INBOX_TABLE} WHERE ${where.sql} ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...where.args, page.limit, offset],
  )
  const [counted] = await manager.execute<Array<{ count: number }>>(
    `SELECT count(*)::int AS count FROM (SELECT 1 FROM ${INBOX_TABLE} WHERE ${where.sql} LIMIT ${COUNT_CAP + 1}) AS capped`,
    where.args,
  )
  const count = counted?.count ?? 0
  return { ids: rows.map((row) => row.id), count: Math.min(count, COUNT_CAP), count_capped: count > COUNT_CAP }
}

/**
 * Which rows a bulk replay takes: of one status, received since a moment, at most `limit`, oldest first.
 * `providerId` as {@link ProviderMatch} (the caller escapes `_`).
 */
export type ReplayCandidateQuery = {
  status: InboxStatus
  since: Date
  /** Only rows received before this instant (a background run's start: rows that arrive later are not its own). */
  until?: Date
  providerId?: ProviderMatch
  /** Only rows after this one, in the same order (the previous call's last row). */
  after?: string
  limit: number
}

/** A row a bulk replay may take; `replayable` is false once its raw body was dropped (a reconciliation row needs none). */
export type ReplayCandidate = { id: string; replayable: boolean }

/** The rows, and how many match in all (`limit` aside), counted up to {@link COUNT_CAP}. */
export async function replayCandidates(
  manager: SqlEntityManager,
  query: ReplayCandidateQuery,
): Promise<{ rows: ReplayCandidate[]; total: number }> {
  const parts: Where[] = [{ sql: "deleted_at IS NULL AND status = ? AND received_at >= ?", args: [query.status, query.since] }]
  if (query.until !== undefined) {
    parts.push({ sql: "received_at < ?", args: [query.until] })
  }
  if (query.providerId !== undefined) {
    parts.push(providerWhere(query.providerId))
  }
  if (query.after !== undefined) {
    // Rows after the previous call's last one, in the same order: a row that failed again stays behind.
    parts.push({ sql: `(received_at, id) > (SELECT received_at, id FROM ${INBOX_TABLE} WHERE id = ?)`, args: [query.after] })
  }
  const where = { sql: parts.map((part) => part.sql).join(" AND "), args: parts.flatMap((part) => part.args) }
  const rows = await manager.execute<ReplayCandidate[]>(
    `SELECT id, (raw_body IS NOT NULL OR source = 'reconciliation') AS replayable
     FROM ${INBOX_TABLE} WHERE ${where.sql} ORDER BY received_at, id LIMIT ?`,
    [...where.args, query.limit],
  )
  const [counted] = await manager.execute<Array<{ total: number }>>(
    `SELECT count(*)::int AS total FROM (SELECT 1 FROM ${INBOX_TABLE} WHERE ${where.sql} LIMIT ${COUNT_CAP}) AS capped`,
    where.args,
  )
  return { rows, total: counted?.total ?? 0 }
}
