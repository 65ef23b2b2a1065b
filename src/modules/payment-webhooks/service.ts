import type { Logger } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { MedusaService } from "@medusajs/framework/utils"
import { PaymentWebhookEvent } from "./models/payment-webhook-event"
import { newInboxEventId } from "./event-id"
import { parseInboxOptions, type InboxOptions } from "./options"
import { insertDeliveries } from "./delivery-insert"
import { hasPostgresCode } from "./postgres-error"
import { readSessions } from "./session-read"
import type { DeliveryRecordInput, InboxRow, InboxStatus, RecordOutcome, SessionForGuard } from "./types"
import { StatementBatcher, type GroupStatement } from "./statement-batcher"

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

/** PostgreSQL's "relation does not exist". */
const isMissingTable = (error: unknown) => hasPostgresCode(error, "42P01")

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
  /** Set once a prepared statement went missing between two uses of a connection. */
  private preparedStatementsUnsupported = false
  private readonly deliveryWriter: StatementBatcher<DeliveryRecordInput, RecordOutcome>
  private readonly sessionReader: StatementBatcher<string, SessionForGuard | undefined>

  constructor(cradle: InboxCradle, options: Record<string, unknown> | undefined) {
    super(cradle, options)
    this.manager_ = cradle.manager
    this.logger_ = cradle.logger
    this.inboxOptions = parseInboxOptions(options ?? {})
    this.deliveryWriter = this.batcher("recording", (inputs, remainingMs) => this.writeDeliveries(inputs, remainingMs))
    this.sessionReader = this.batcher("reading the payment session", (ids, remainingMs) => this.readSessionGroup(ids, remainingMs))
  }

  /** A hot-path statement batcher bounded by `recordTimeoutMs`; `what` names the work in its timeout error. */
  private batcher<In, Out>(what: string, run: GroupStatement<In, Out>): StatementBatcher<In, Out> {
    const timeoutMs = this.inboxOptions.recordTimeoutMs
    return new StatementBatcher(run, {
      maxBatch: 100,
      // Two statements at a time leave the rest of the pool to Medusa's workflows.
      maxInFlight: 2,
      timeoutMs,
      timedOut: (waitedMs) => new InboxUnavailableError(`${what} took longer than ${timeoutMs} ms (waited ${waitedMs} ms)`),
    })
  }

  /**
   * Records one delivery; if its (provider, event id) is already there, only counts it. Deliveries
   * arriving together are written together (see {@link StatementBatcher}). Bounded by `recordTimeoutMs`,
   * waiting included, in PostgreSQL and in the client: past it, {@link InboxUnavailableError}, and
   * no row is left behind to swallow the PSP's retry.
   */
  async recordDelivery(input: DeliveryRecordInput): Promise<RecordOutcome> {
    return this.deliveryWriter.submit(input)
  }

  /** One group of deliveries, one statement; falls back to no session read when the payment tables live elsewhere. */
  private async writeDeliveries(inputs: DeliveryRecordInput[], timeoutMs: number): Promise<RecordOutcome[]> {
    const knex = this.manager_.getKnex()
    const keepRawBody = this.inboxOptions.rawBodyRetention !== "never"
    const readSessions = !this.sessionTableMissing && inputs.some((input) => input.read_session)
    const prepared = !this.preparedStatementsUnsupported
    try {
      const written = await insertDeliveries(knex, inputs, { timeoutMs, keepRawBody, readSessions, prepared })
      if (prepared && !written.prepared) {
        this.preparedStatementsUnsupported = true
        this.logger_.warn("The database connection does not keep prepared statements (a pooler in transaction mode?): recording deliveries without them")
      }
      return written.outcomes
    } catch (error) {
      if (readSessions && isMissingTable(error)) {
        // The statement failed as a whole, so nothing was written: the same group again, without the read.
        this.sessionTableMissing = true
        return this.writeDeliveries(inputs, timeoutMs)
      }
      throw new InboxUnavailableError(databaseReason(error))
    }
  }

  /**
   * The payment session an authorized/captured event names, for the amount check when the edge
   * did not read it with the insert (inbox disabled) or the re-drive checks a row; reads arriving
   * together go in one statement. Medusa keeps every module in one database by default; a store
   * that splits them gets `undefined` (no such table) and the caller asks the payment module instead.
   */
  async readSessionForGuard(sessionId: string): Promise<SessionForGuard | undefined> {
    if (this.sessionTableMissing) {
      return undefined
    }
    return this.sessionReader.submit(sessionId)
  }

  /** One group of session reads, one statement; `undefined` for all once the payment tables turn out to live elsewhere. */
  private async readSessionGroup(sessionIds: string[], timeoutMs: number): Promise<Array<SessionForGuard | undefined>> {
    try {
      return await readSessions(this.manager_.getKnex(), sessionIds, timeoutMs)
    } catch (error) {
      if (isMissingTable(error)) {
        this.sessionTableMissing = true
        return sessionIds.map(() => undefined)
      }
      throw new InboxUnavailableError(databaseReason(error))
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

  /** Authorize/capture events of these sessions still `received`: the ones an order or a capture may have finished. */
  async receivedPaymentEvents(sessionIds: string[]): Promise<Array<Pick<InboxRow, "id" | "session_id" | "action">>> {
    if (!sessionIds.length) {
      return []
    }
    return this.manager_.execute(
      `SELECT id, session_id, action FROM ${TABLE}
       WHERE deleted_at IS NULL AND status = 'received' AND action IN ('authorized', 'captured')
         AND session_id IN (${sessionIds.map(() => "?").join(", ")})`,
      sessionIds
    )
  }

  /** Moves an event back to `received` so the next re-drive picks it up at once (an admin's replay); false when there is no such event. */
  async requeue(id: string): Promise<boolean> {
    const rows = await this.manager_.execute<Array<{ id: string }>>(
      `UPDATE ${TABLE} SET status = 'received', next_attempt_at = NULL, attempts = 0, updated_at = now()
       WHERE id = ? AND deleted_at IS NULL RETURNING id`,
      [id]
    )
    return rows.length > 0
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
        newInboxEventId(), providerId, `check:${sessionId}`, sessionId,
        `unpaid at the PSP (${pspStatus})`, this.inboxOptions.backoffSeconds, this.inboxOptions.backoffSeconds,
      ]
    )
  }

  /** Backoff before attempt `attempt`: `backoffSeconds` doubling, capped at an hour. */
  backoffSeconds(attempt: number): number {
    return Math.min(this.inboxOptions.backoffSeconds * 2 ** Math.max(attempt - 1, 0), ONE_HOUR)
  }
}
