import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"

/**
 * How long PostgreSQL lets each kind of inbox statement run before it cancels it. Each statement is
 * meant to take milliseconds on its index; the limit is the guard for the day a plan goes wrong, so
 * a statement never holds a connection (and the edge's writes behind it) for minutes.
 */
export const STATEMENT_TIMEOUTS_MS = {
  /** The admin's list, search, summary and bulk-replay candidates. */
  adminRead: 5_000,
  /** One batch of retention (a delete, a raw-body drop) and the job's reads of due rows. */
  maintenance: 15_000,
} as const

/**
 * Runs `work` in a transaction whose every statement PostgreSQL cancels after `timeoutMs`
 * (`SET LOCAL`, so the setting ends with the transaction and never stays on a pooled connection).
 * Unlike giving up on a promise, the query really stops and its connection goes back to the pool.
 */
export async function withStatementTimeout<T>(
  manager: SqlEntityManager,
  timeoutMs: number,
  work: (manager: SqlEntityManager) => Promise<T>,
): Promise<T> {
  // SET takes no bind parameter: the value is a whole number this code computes, never input.
  const ms = Math.max(Math.round(timeoutMs), 1)
  return manager.transactional(async (transaction) => {
    await transaction.execute(`SET LOCAL statement_timeout = ${ms}`)
    return work(transaction)
  })
}
