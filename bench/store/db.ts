import { Client } from "pg"
import { serverUrl, type StoreProcess } from "../../integration-tests/support/store-process"
import { BENCH_APPLICATION_NAME, type CpuScope } from "../lib/cpu"

/** Runs `work` with a connection to the store's database, closed afterwards. */
export async function withDb<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  // Named, so that the CPU meter leaves the benchmark's own backends out of the store's cost.
  const db = new Client({ connectionString: databaseUrl, application_name: BENCH_APPLICATION_NAME })
  await db.connect()
  try {
    return await work(db)
  } finally {
    await db.end()
  }
}

/** Inbox rows recorded for event ids starting with `prefix`, by status. */
export async function inboxRowsByStatus(db: Client, prefix: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; count: string }>(
    "SELECT status, count(*) AS count FROM payment_webhook_event WHERE event_id LIKE $1 GROUP BY status",
    [`${prefix}%`]
  )
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]))
}

/**
 * Marks the ack benchmark's deliveries (they name sessions whose intents were never paid) as
 * ignored, so the re-drive job does not spend the next phases re-driving thousands of them.
 */
export async function settleBenchRows(db: Client, prefix: string): Promise<number> {
  const result = await db.query(
    `UPDATE payment_webhook_event SET status = 'ignored', processed_at = now(), last_error = 'benchmark: ack-only delivery'
     WHERE event_id LIKE $1 AND status = 'received'`,
    [`${prefix}%`]
  )
  return result.rowCount ?? 0
}

/** Inbox rows recorded for these payment sessions, by status. */
export async function inboxRowsForSessions(db: Client, sessionIds: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; count: string }>(
    "SELECT status, count(*) AS count FROM payment_webhook_event WHERE session_id = ANY($1) GROUP BY status",
    [sessionIds]
  )
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]))
}

/** Where to meter the CPU of a store: its process tree(s) and the backends of its database. */
export function cpuScope(store: StoreProcess, extraPids: readonly number[] = []): CpuScope {
  const pid = store.pid
  if (!pid) {
    throw new Error("The store is not running")
  }
  return { rootPids: [pid, ...extraPids], adminUrl: serverUrl().toString(), databaseName: store.databaseName }
}
