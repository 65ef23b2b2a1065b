import { INBOX_TABLE } from "./tables"

/**
 * Statements on the inbox for a program outside the store (the benchmark, a migration check) that
 * holds its own node-postgres connection: counts, and the few writes that set its own rows aside.
 * They live here with every other statement on the inbox's tables, so none is written twice.
 */

/** A node-postgres client, or anything that runs SQL with `$1…` placeholders the same way. */
export type PgClient = {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>
}

/** Which rows: those of a prefix of PSP event ids, or those of some payment sessions. */
export type InboxRowSelection = { eventIdPrefix: string } | { sessionIds: readonly string[] }

function where(selection: InboxRowSelection): { sql: string; value: unknown } {
  return "eventIdPrefix" in selection
    ? { sql: "event_id LIKE $1", value: `${selection.eventIdPrefix}%` }
    : { sql: "session_id = ANY($1)", value: selection.sessionIds }
}

/** True once the module's migrations created the inbox table. */
export async function inboxTableExists(db: PgClient): Promise<boolean> {
  const { rows } = await db.query<{ name: string | null }>(`SELECT to_regclass('${INBOX_TABLE}')::text AS name`)
  return rows[0]?.name === INBOX_TABLE
}

/** The selected rows, counted by status. */
export async function countByStatus(db: PgClient, selection: InboxRowSelection): Promise<Record<string, number>> {
  const { sql, value } = where(selection)
  const { rows } = await db.query<{ status: string; count: string }>(
    `SELECT status, count(*) AS count FROM ${INBOX_TABLE} WHERE ${sql} GROUP BY status`,
    [value],
  )
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]))
}

/** The status and attempts of one PSP event's row, if recorded. */
export async function rowOfEvent(db: PgClient, eventId: string): Promise<{ status: string; attempts: number } | undefined> {
  const { rows } = await db.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM ${INBOX_TABLE} WHERE event_id = $1`, [
    eventId,
  ])
  return rows[0]
}

/** Makes one event's row look received long ago, so the job takes it up at its next pass. */
export async function backdateEvent(db: PgClient, eventId: string, seconds: number): Promise<void> {
  await db.query(`UPDATE ${INBOX_TABLE} SET received_at = now() - make_interval(secs => $2) WHERE event_id = $1`, [eventId, seconds])
}

/** Settles the selected rows still `received` as `ignored` with `reason`, so no job takes them up. Answers how many. */
export async function setAside(db: PgClient, selection: InboxRowSelection, reason: string): Promise<number> {
  const { sql, value } = where(selection)
  const result = await db.query(
    `UPDATE ${INBOX_TABLE} SET status = 'ignored', processed_at = now(), last_error = $2 WHERE ${sql} AND status = 'received'`,
    [value, reason],
  )
  return result.rowCount ?? 0
}

/** Deletes the selected rows outright (a program's own scratch rows). Answers how many. */
export async function deleteRows(db: PgClient, selection: InboxRowSelection): Promise<number> {
  const { sql, value } = where(selection)
  return (await db.query(`DELETE FROM ${INBOX_TABLE} WHERE ${sql}`, [value])).rowCount ?? 0
}

/** Settled rows whose raw body retention would drop: older than `days`, `processed` or `ignored`, not flagged, body still kept. */
export async function countRawBodiesToDrop(db: PgClient, days: number): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    `SELECT count(*) AS count FROM ${INBOX_TABLE}
     WHERE raw_body IS NOT NULL AND status IN ('processed', 'ignored') AND needs_attention = false AND deleted_at IS NULL
       AND processed_at < now() - make_interval(days => $1::int)`,
    [days],
  )
  return Number(rows[0].count)
}

/** Settled rows retention would delete: older than `days`, `processed` or `ignored`, not flagged. */
export async function countPrunable(db: PgClient, days: number): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    `SELECT count(*) AS count FROM ${INBOX_TABLE}
     WHERE status IN ('processed', 'ignored') AND deleted_at IS NULL AND needs_attention = false AND processed_at < now() - make_interval(days => $1::int)`,
    [days],
  )
  return Number(rows[0].count)
}
