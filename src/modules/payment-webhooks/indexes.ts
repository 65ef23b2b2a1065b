import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import type { Logger } from "@medusajs/framework/types"
import { databaseReason } from "../../lib/errors"
import { INBOX_TABLE } from "./tables"

/** One index the inbox's statements read by, beyond those its model declares. */
type InboxIndex = { name: string; definition: string; serves: string }

/**
 * The indexes every statement on a large inbox needs, each named with the statements it serves (the
 * inbox's plan test checks that none of those statements reads the table whole). Not in the model:
 * on a large table they must be built `CONCURRENTLY`, so the edge keeps writing while they build, and
 * Medusa runs a store's pending migrations in one transaction, which `CREATE INDEX CONCURRENTLY`
 * cannot run in. The migration builds them on a small table; {@link ensureInboxIndexes} on any other.
 */
export const INBOX_INDEXES: readonly InboxIndex[] = [
  {
    name: "IDX_payment_webhook_event_received_order",
    definition: `(received_at DESC, id DESC) WHERE deleted_at IS NULL`,
    serves: "the admin list, newest first",
  },
  {
    name: "IDX_payment_webhook_event_status_received",
    definition: `(status, received_at, id) WHERE deleted_at IS NULL`,
    serves: "the list by status, due deliveries, bulk-replay candidates, the summary's counts, the backlog",
  },
  {
    name: "IDX_payment_webhook_event_event_id",
    definition: `(event_id) WHERE deleted_at IS NULL`,
    serves: "search by the PSP's event id",
  },
  {
    name: "IDX_payment_webhook_event_attention_received",
    definition: `(received_at, id) WHERE needs_attention AND deleted_at IS NULL`,
    serves: "deliveries needing a person: the list's filter and the summary's count",
  },
  {
    name: "IDX_payment_webhook_event_reconciliation_received",
    definition: `(received_at DESC, id DESC) WHERE source = 'reconciliation' AND deleted_at IS NULL`,
    serves: "the list of deliveries reconciliation recorded",
  },
  {
    name: "IDX_payment_webhook_event_failed_processed",
    definition: `(processed_at) WHERE status = 'failed' AND deleted_at IS NULL`,
    serves: "the health check's failures of the day",
  },
  {
    name: "IDX_payment_webhook_event_raw_body_kept",
    definition: `(processed_at) WHERE raw_body IS NOT NULL AND status IN ('processed', 'ignored') AND needs_attention = false AND deleted_at IS NULL`,
    serves: "dropping the raw bodies of settled deliveries",
  },
  {
    name: "IDX_payment_webhook_event_unverified",
    definition: `(provider_id) WHERE verified = false AND status = 'received' AND deleted_at IS NULL`,
    serves: "the edge's limit on unverified deliveries per provider",
  },
  {
    name: "IDX_payment_webhook_event_forgeries",
    definition: `(processed_at) WHERE verified = false AND status = 'ignored' AND deleted_at IS NULL`,
    serves: "pruning deliveries that failed their verification",
  },
]

/**
 * Below this many rows the migration builds the indexes itself, inside Medusa's migration transaction:
 * the build takes milliseconds, so the edge's writes barely wait on it.
 */
export const SMALL_INBOX_ROWS = 10_000

/** One process builds at a time; the others find the lock taken and leave it to it. */
const LOCK_KEY = "medusa-payment-webhooks:inbox-indexes"

/** Runs SQL on one pooled connection held for the whole build (a session lock and its unlock must share it). */
type OnOneConnection = (sql: string, bindings?: ReadonlyArray<string | number | string[]>) => Promise<Array<Record<string, unknown>>>

/** The indexes missing, or left invalid by a build that died. */
async function indexesToBuild(run: OnOneConnection): Promise<Array<InboxIndex & { invalid: boolean }>> {
  const rows = await run(
    `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = to_regclass(?) AND c.relname = ANY(?)`,
    [INBOX_TABLE, INBOX_INDEXES.map((index) => index.name)],
  )
  const found = new Map(rows.map((row) => [String(row.name), row.valid === true]))
  return INBOX_INDEXES.filter((index) => found.get(index.name) !== true).map((index) => ({ ...index, invalid: found.has(index.name) }))
}

/**
 * Builds the indexes of {@link INBOX_INDEXES} that are missing, and rebuilds any a failed concurrent
 * build left invalid, on one connection of its own under a session advisory lock, with no statement
 * timeout (a build on a large table takes minutes; writes go on meanwhile). Answers the names built; a
 * process that finds the lock taken builds nothing (another is at it). Cheap when all exist: one
 * catalog read. Never throws: a failure is logged and the next call tries again.
 */
export async function ensureInboxIndexes(manager: SqlEntityManager, logger: Logger): Promise<string[]> {
  const knex = manager.getKnex()
  let connection: unknown
  try {
    connection = await knex.client.acquireConnection()
  } catch (error) {
    logger.warn(`medusa-payment-webhooks: could not check the inbox's indexes: ${databaseReason(error)}`)
    return []
  }
  const run: OnOneConnection = async (sql, bindings = []) => (await knex.raw(sql, [...bindings]).connection(connection)).rows
  const built: string[] = []
  try {
    if (!(await indexesToBuild(run)).length) {
      return built
    }
    const [lock] = await run(`SELECT pg_try_advisory_lock(hashtext(?)) AS taken`, [LOCK_KEY])
    if (lock?.taken !== true) {
      return built
    }
    try {
      await run(`SET statement_timeout = 0`)
      for (const index of await indexesToBuild(run)) {
        logger.info(`medusa-payment-webhooks: building ${index.name} concurrently (${index.serves})`)
        if (index.invalid) {
          await run(`DROP INDEX CONCURRENTLY IF EXISTS "${index.name}"`)
        }
        await run(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${index.name}" ON "${INBOX_TABLE}" ${index.definition}`)
        built.push(index.name)
      }
    } finally {
      await run(`RESET statement_timeout`).catch(() => undefined)
      await run(`SELECT pg_advisory_unlock(hashtext(?))`, [LOCK_KEY]).catch(() => undefined)
    }
  } catch (error) {
    logger.warn(`medusa-payment-webhooks: building the inbox's indexes stopped (the next pass resumes): ${databaseReason(error)}`)
  } finally {
    await knex.client.releaseConnection(connection)
  }
  return built
}
