import type { Logger } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { generateEntityId, MedusaService } from "@medusajs/framework/utils"
import { PaymentWebhookEvent } from "./models/payment-webhook-event"
import { parseInboxOptions, type InboxOptions } from "./options"
import type { DeliveryRecordInput, InboxRow, InboxStatus, RecordOutcome } from "./types"

/** What the module resolves from its container. */
type InboxCradle = { manager: SqlEntityManager; logger: Logger }

const TABLE = "payment_webhook_event"
const ONE_HOUR = 3600

/** Thrown when a delivery could not be recorded in time: the edge answers 503 so the PSP retries. */
export class InboxUnavailableError extends Error {
  override readonly name = "InboxUnavailableError"
}

/**
 * The database's own reason for a failure. The driver's message starts with the SQL and its
 * parameters (the raw body among them), which must never reach a log.
 */
function databaseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const reason = message.split(" - ").pop() ?? message
  return reason.length > 200 ? `${reason.slice(0, 200)}…` : reason
}

/**
 * The inbox of PSP deliveries. The hot-path insert and the re-drive's claim are single SQL
 * statements (ON CONFLICT, FOR UPDATE SKIP LOCKED): they hold across processes, not just in memory.
 */
export default class PaymentWebhooksModuleService extends MedusaService({ PaymentWebhookEvent }) {
  readonly inboxOptions: InboxOptions
  protected readonly manager_: SqlEntityManager
  protected readonly logger_: Logger
  /** Set once the payment tables turn out to live in another database. */
  private sessionTableMissing = false

  constructor(cradle: InboxCradle, options: Record<string, unknown> | undefined) {
    super(cradle, options)
    this.manager_ = cradle.manager
    this.logger_ = cradle.logger
    this.inboxOptions = parseInboxOptions(options ?? {})
  }

  /**
   * Records one delivery; if its (provider, event id) is already there, only counts it. Bounded by
   * `recordTimeoutMs` in PostgreSQL and in the client: past it, {@link InboxUnavailableError}.
   */
  async recordDelivery(input: DeliveryRecordInput): Promise<RecordOutcome> {
    const id = generateEntityId(undefined, "pwhevt")
    const timeout = this.inboxOptions.recordTimeoutMs
    const rawBody = this.inboxOptions.rawBodyRetention === "never" ? null : input.raw_body
    const amount = input.amount === null ? null : String(input.amount)
    // One autocommit statement: the hot path's only round trip to the database. On timeout knex
    // cancels it in PostgreSQL, so a 503 never leaves a row behind to swallow the PSP's retry.
    const insert = this.manager_
      .getKnex()
      .raw(
        `INSERT INTO ${TABLE} (id, provider_id, event_id, event_type, session_id, action, amount, raw_amount,
           currency_code, status, source, attempts, deliveries, last_error, received_at, processed_at, body_hash, details,
           raw_body, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, now(), ${input.status === "received" ? "NULL" : "now()"}, ?, ?, ?, now(), now())
         ON CONFLICT (provider_id, event_id) WHERE deleted_at IS NULL
         DO UPDATE SET deliveries = ${TABLE}.deliveries + 1, updated_at = now()
         RETURNING id, (xmax = 0) AS inserted`,
        [
          id, input.provider_id, input.event_id, input.event_type, input.session_id, input.action, amount,
          amount === null ? null : JSON.stringify({ value: amount, precision: 20 }),
          input.currency_code, input.status, input.source, input.last_error, input.body_hash,
          input.details === null ? null : JSON.stringify(input.details), rawBody,
        ]
      )
      .timeout(timeout, { cancel: true })
      .then((result: { rows: Array<{ id: string; inserted: boolean }> }) => result.rows)
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      // Also bounds the wait for a pooled connection, which statement_timeout cannot see.
      timer = setTimeout(() => reject(new InboxUnavailableError(`recording took longer than ${timeout} ms`)), timeout + 250)
    })
    try {
      const [row] = await Promise.race([insert, deadline])
      return { id: row.id, duplicate: !row.inserted }
    } catch (error) {
      insert.catch(() => undefined)
      if (error instanceof InboxUnavailableError) {
        throw error
      }
      throw new InboxUnavailableError(databaseReason(error))
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * The payment session an authorized/captured event names, read in one statement for the edge's
   * amount check. Medusa keeps every module in one database by default; a store that splits them
   * gets `undefined` (no such table) and the caller asks the payment module instead.
   */
  async readSessionForGuard(sessionId: string): Promise<{ found: boolean; amount?: string; currency_code?: string } | undefined> {
    if (this.sessionTableMissing) {
      return undefined
    }
    try {
      const result: { rows: Array<{ amount: string; currency_code: string }> } = await this.manager_
        .getKnex()
        .raw("SELECT amount::text AS amount, currency_code FROM payment_session WHERE id = ? AND deleted_at IS NULL", [sessionId])
        .timeout(this.inboxOptions.recordTimeoutMs, { cancel: true })
      const [row] = result.rows
      return row ? { found: true, amount: row.amount, currency_code: row.currency_code } : { found: false }
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "42P01") {
        this.sessionTableMissing = true
        return undefined
      }
      throw error
    }
  }

  /**
   * Claims up to `batchSize` events still `received` after `redriveAfterSeconds` whose backoff has
   * passed, and leases them (attempts + 1, next look pushed out). Rows another process holds are skipped.
   */
  async claimDue(options: { olderThanSeconds?: number; ids?: string[] } = {}): Promise<InboxRow[]> {
    const age = options.olderThanSeconds ?? this.inboxOptions.redriveAfterSeconds
    const byId = options.ids?.length ? `AND id IN (${options.ids.map(() => "?").join(", ")})` : ""
    return this.manager_.execute<InboxRow[]>(
      `WITH due AS (
         SELECT id FROM ${TABLE}
         WHERE deleted_at IS NULL AND status = 'received'
           AND received_at <= now() - make_interval(secs => ?)
           AND (next_attempt_at IS NULL OR next_attempt_at <= now())
           ${byId}
         ORDER BY received_at
         LIMIT ?
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${TABLE} AS e
       SET attempts = e.attempts + 1,
           next_attempt_at = now() + make_interval(secs => ?),
           updated_at = now()
       FROM due WHERE e.id = due.id
       RETURNING e.id, e.provider_id, e.event_id, e.event_type, e.session_id, e.action, e.amount::text AS amount,
         e.currency_code, e.status, e.source, e.attempts, e.last_error, e.received_at, e.details`,
      [age, ...(options.ids ?? []), this.inboxOptions.batchSize, this.backoffSeconds(1)]
    )
  }

  /** Moves an event back to `received` so the next re-drive picks it up at once (an admin's replay). */
  async requeue(id: string): Promise<void> {
    await this.manager_.execute(
      `UPDATE ${TABLE} SET status = 'received', next_attempt_at = NULL, attempts = 0, updated_at = now() WHERE id = ?`,
      [id]
    )
  }

  /** Ends an event: processed, ignored or failed, with the reason when there is one. */
  async settle(id: string, status: Exclude<InboxStatus, "received">, reason: string | null = null): Promise<void> {
    const clearBody = this.inboxOptions.rawBodyRetention === "until_processed" && status !== "failed"
    await this.manager_.execute(
      `UPDATE ${TABLE}
       SET status = ?, last_error = ?, processed_at = now(), next_attempt_at = NULL, updated_at = now()
           ${clearBody ? ", raw_body = NULL" : ""}
       WHERE id = ?`,
      [status, reason, id]
    )
  }

  /** Records a failed attempt: retried after a doubling backoff, or `failed` once `maxAttempts` is reached. */
  async recordAttemptFailure(row: Pick<InboxRow, "id" | "attempts">, error: string): Promise<InboxStatus> {
    if (row.attempts >= this.inboxOptions.maxAttempts) {
      await this.settle(row.id, "failed", error)
      return "failed"
    }
    await this.manager_.execute(
      `UPDATE ${TABLE} SET last_error = ?, next_attempt_at = now() + make_interval(secs => ?), updated_at = now() WHERE id = ?`,
      [error.slice(0, 2000), this.backoffSeconds(row.attempts + 1), row.id]
    )
    return "received"
  }

  /**
   * Of these sessions, those whose last reconciliation check (if any) has come due. Each check is
   * kept as an `ignored` row `check:<session>` whose backoff doubles, so a session abandoned for
   * days is not asked about every minute.
   */
  async sessionsDueForCheck(providerId: string, sessionIds: string[]): Promise<string[]> {
    if (!sessionIds.length) {
      return []
    }
    const rows = await this.manager_.execute<Array<{ session_id: string }>>(
      `SELECT session_id FROM ${TABLE}
       WHERE deleted_at IS NULL AND provider_id = ? AND source = 'reconciliation' AND event_id LIKE 'check:%'
         AND next_attempt_at > now() AND session_id IN (${sessionIds.map(() => "?").join(", ")})`,
      [providerId, ...sessionIds]
    )
    const notYet = new Set(rows.map((row) => row.session_id))
    return sessionIds.filter((id) => !notYet.has(id))
  }

  /** Notes that a session was looked up at the PSP and found unpaid; the next look waits longer. */
  async noteSessionChecked(providerId: string, sessionId: string, pspStatus: string): Promise<void> {
    await this.manager_.execute(
      `INSERT INTO ${TABLE} (id, provider_id, event_id, event_type, session_id, status, source, attempts, last_error,
         received_at, processed_at, next_attempt_at, body_hash, created_at, updated_at)
       VALUES (?, ?, ?, 'reconciliation.check', ?, 'ignored', 'reconciliation', 1, ?, now(), now(),
         now() + make_interval(secs => ?), '', now(), now())
       ON CONFLICT (provider_id, event_id) WHERE deleted_at IS NULL DO UPDATE
       SET attempts = ${TABLE}.attempts + 1, last_error = EXCLUDED.last_error, processed_at = now(), updated_at = now(),
           next_attempt_at = now() + make_interval(secs => LEAST(? * power(2, ${TABLE}.attempts), ${ONE_HOUR}))`,
      [
        generateEntityId(undefined, "pwhevt"), providerId, `check:${sessionId}`, sessionId,
        `unpaid at the PSP (${pspStatus})`, this.inboxOptions.backoffSeconds, this.inboxOptions.backoffSeconds,
      ]
    )
  }

  /** Backoff before attempt `attempt`: `backoffSeconds` doubling, capped at an hour. */
  backoffSeconds(attempt: number): number {
    return Math.min(this.inboxOptions.backoffSeconds * 2 ** Math.max(attempt - 1, 0), ONE_HOUR)
  }
}
