import { randomUUID } from "node:crypto"
import type { Logger } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { MedusaService } from "@medusajs/framework/utils"
import { PaymentWebhookEvent } from "./models/payment-webhook-event"
import { PaymentReconciliationCheck } from "./models/reconciliation-check"
import { PaymentWebhookLock } from "./models/session-lock"
import { parseInboxOptions, type InboxOptions } from "./options"
import { insertDeliveries } from "./delivery-insert"
import { newInboxEventId } from "./event-id"
import { storableText } from "./storable-text"
import type { ClaimedDelivery, DeliveryRecordInput, DeliveryVerdict, InboxRow, InboxStatus, RecordOutcome } from "./types"
import { StatementBatcher } from "./statement-batcher"

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

/** Columns the processor reads of a claimed row. */
const ROW_COLUMNS = `id, provider_id, event_id, event_type, session_id, action, status, source, attempts, last_error, received_at, raw_body`

/**
 * The inbox of PSP deliveries. The hot-path insert (ON CONFLICT) and the claim (a lease under a
 * token) are single SQL statements: they hold across processes, not just in memory.
 */
export default class PaymentWebhooksModuleService extends MedusaService({ PaymentWebhookEvent, PaymentReconciliationCheck, PaymentWebhookLock }) {
  readonly inboxOptions: InboxOptions
  protected readonly manager_: SqlEntityManager
  protected readonly logger_: Logger
  /** Set once a prepared statement went missing between two uses of a connection. */
  private preparedStatementsUnsupported = false
  private readonly deliveryWriter: StatementBatcher<DeliveryRecordInput, RecordOutcome | Error>

  constructor(cradle: InboxCradle, options: Record<string, unknown> | undefined) {
    super(cradle, options)
    this.manager_ = cradle.manager
    this.logger_ = cradle.logger
    this.inboxOptions = parseInboxOptions(options ?? {})
    const timeoutMs = this.inboxOptions.recordTimeoutMs
    this.deliveryWriter = new StatementBatcher((inputs, remainingMs) => this.writeDeliveries(inputs, remainingMs), {
      maxBatch: 100,
      // Two statements at a time leave the rest of the pool to Medusa's workflows.
      maxInFlight: 2,
      timeoutMs,
      timedOut: (waitedMs) => new InboxUnavailableError(`recording took longer than ${timeoutMs} ms (waited ${waitedMs} ms)`),
    })
  }

  /**
   * Records one delivery; if its (provider, event id) is already there, only counts it. Deliveries
   * arriving together are written together (see {@link StatementBatcher}). Bounded by `recordTimeoutMs`,
   * waiting included: past it, {@link InboxUnavailableError}, and no row is left behind to swallow
   * the PSP's retry.
   */
  async recordDelivery(input: DeliveryRecordInput): Promise<RecordOutcome> {
    const outcome = await this.deliveryWriter.submit(input)
    if (outcome instanceof Error) {
      throw outcome
    }
    return outcome
  }

  /**
   * One group of deliveries, one statement. Should the group fail (a value PostgreSQL refuses, a
   * conflict), each delivery is written again on its own, so one delivery's failure never fails another's.
   */
  private async writeDeliveries(inputs: DeliveryRecordInput[], timeoutMs: number): Promise<Array<RecordOutcome | Error>> {
    try {
      return await this.writeGroup(inputs, timeoutMs)
    } catch (error) {
      if (inputs.length === 1) {
        return [new InboxUnavailableError(databaseReason(error))]
      }
      return Promise.all(
        inputs.map((input) => this.writeGroup([input], timeoutMs).then(([outcome]) => outcome, (single: unknown) => new InboxUnavailableError(databaseReason(single))))
      )
    }
  }

  private async writeGroup(inputs: DeliveryRecordInput[], timeoutMs: number): Promise<RecordOutcome[]> {
    const prepared = !this.preparedStatementsUnsupported
    const written = await insertDeliveries(this.manager_.getKnex(), inputs, { timeoutMs, prepared })
    if (prepared && !written.prepared) {
      this.preparedStatementsUnsupported = true
      this.logger_.warn("The database connection does not keep prepared statements (a pooler in transaction mode?): recording deliveries without them")
    }
    return written.outcomes
  }

  /**
   * Claims one event for processing: still `received`, not held by another processor (or its lease
   * has run out), its backoff passed unless `evenIfBackingOff`. The claim counts an attempt and holds
   * for `leaseSeconds` (the option, or this claim's own), longer than any one processing takes.
   * Null when the row is not to be had.
   */
  async claim(id: string, options: { evenIfBackingOff?: boolean; leaseSeconds?: number } = {}): Promise<ClaimedDelivery | null> {
    const token = randomUUID()
    const rows = await this.manager_.execute<InboxRow[]>(
      `UPDATE ${TABLE}
       SET claim_token = ?, lease_until = now() + make_interval(secs => ?), attempts = attempts + 1, updated_at = now()
       WHERE id = ? AND deleted_at IS NULL AND status = 'received'
         AND (lease_until IS NULL OR lease_until <= now())
         ${options.evenIfBackingOff ? "" : "AND (next_attempt_at IS NULL OR next_attempt_at <= now())"}
       RETURNING ${ROW_COLUMNS}`,
      [token, options.leaseSeconds ?? this.inboxOptions.leaseSeconds, id]
    )
    return rows[0] ? { ...rows[0], token } : null
  }

  /**
   * Ids of events due for processing, oldest first: `received` for at least `olderThanSeconds`,
   * their backoff passed, no live claim on them. Reading them claims nothing: each is claimed on its own.
   */
  async dueDeliveryIds(options: { olderThanSeconds?: number; limit?: number } = {}): Promise<string[]> {
    const rows = await this.manager_.execute<Array<{ id: string }>>(
      `SELECT id FROM ${TABLE}
       WHERE deleted_at IS NULL AND status = 'received'
         AND received_at <= now() - make_interval(secs => ?)
         AND (next_attempt_at IS NULL OR next_attempt_at <= now())
         AND (lease_until IS NULL OR lease_until <= now())
       ORDER BY received_at
       LIMIT ?`,
      [options.olderThanSeconds ?? this.inboxOptions.redriveAfterSeconds, options.limit ?? this.inboxOptions.batchSize]
    )
    return rows.map((row) => row.id)
  }

  /**
   * Ends a claimed event with its verdict and what processing learnt of it, only while the claim
   * still holds: false when the lease ran out and another processor took the row, whose own verdict stands.
   */
  async settle(claim: Pick<ClaimedDelivery, "id" | "token">, verdict: DeliveryVerdict): Promise<boolean> {
    const facts = verdict.facts ?? {}
    const rows = await this.manager_.execute<Array<{ id: string }>>(
      `UPDATE ${TABLE}
       SET status = ?, last_error = ?, outcome = ?::jsonb, processed_at = now(), next_attempt_at = NULL,
           claim_token = NULL, lease_until = NULL, updated_at = now(),
           session_id = COALESCE(?, session_id), action = COALESCE(?, action), amount = COALESCE(?::numeric, amount),
           raw_amount = COALESCE(?::jsonb, raw_amount), currency_code = COALESCE(?, currency_code), details = COALESCE(?::jsonb, details)
       WHERE id = ? AND claim_token = ?
       RETURNING id`,
      [
        verdict.status,
        verdict.reason === null ? null : storableText(verdict.reason.slice(0, 2000)),
        jsonOrNull(verdict.outcome),
        storableText(facts.session_id ?? null),
        storableText(facts.action ?? null),
        facts.amount ?? null,
        facts.amount === undefined || facts.amount === null ? null : JSON.stringify({ value: String(facts.amount), precision: 20 }),
        storableText(facts.currency_code ?? null),
        jsonOrNull(facts.details),
        claim.id,
        claim.token,
      ]
    )
    return rows.length > 0
  }

  /**
   * Gives a claimed event back after a failed attempt: retried after a doubling backoff, or `failed`
   * once `maxAttempts` is reached. Only while the claim holds; null when it no longer did.
   */
  async retryLater(claim: Pick<ClaimedDelivery, "id" | "token" | "attempts">, error: string): Promise<InboxStatus | null> {
    if (claim.attempts >= this.inboxOptions.maxAttempts) {
      return (await this.settle(claim, { status: "failed", reason: error })) ? "failed" : null
    }
    const rows = await this.manager_.execute<Array<{ id: string }>>(
      `UPDATE ${TABLE}
       SET last_error = ?, next_attempt_at = now() + make_interval(secs => ?), claim_token = NULL, lease_until = NULL, updated_at = now()
       WHERE id = ? AND claim_token = ?
       RETURNING id`,
      [storableText(error.slice(0, 2000)), this.backoffSeconds(claim.attempts), claim.id, claim.token]
    )
    return rows.length ? "received" : null
  }

  /**
   * Moves an event back to `received`, due at once (an admin's replay). `missing` when there is no
   * such event; `no_body` when its raw body was dropped by retention, so it cannot be processed again.
   */
  async requeue(id: string): Promise<"requeued" | "missing" | "no_body"> {
    const rows = await this.manager_.execute<Array<{ id: string; replayable: boolean }>>(
      `WITH found AS (
         SELECT id, (raw_body IS NOT NULL OR source = 'reconciliation') AS replayable FROM ${TABLE} WHERE id = ? AND deleted_at IS NULL
       ), requeued AS (
         UPDATE ${TABLE} e SET status = 'received', next_attempt_at = NULL, attempts = 0, updated_at = now()
         FROM found WHERE e.id = found.id AND found.replayable RETURNING e.id
       )
       SELECT id, replayable FROM found`,
      [id]
    )
    return !rows.length ? "missing" : rows[0].replayable ? "requeued" : "no_body"
  }

  /**
   * Drops the raw bodies of deliveries settled more than `rawBodyRetentionDays` ago, up to `limit`
   * rows per call (short statements that never hold the table from the edge). Answers how many.
   */
  async dropOldRawBodies(limit = 1000): Promise<number> {
    const rows = await this.manager_.execute<Array<{ id: string }>>(
      `UPDATE ${TABLE} SET raw_body = NULL
       WHERE id IN (
         SELECT id FROM ${TABLE}
         WHERE status <> 'received' AND raw_body IS NOT NULL AND processed_at < now() - make_interval(days => ?)
         LIMIT ? FOR UPDATE SKIP LOCKED
       )
       RETURNING id`,
      [this.inboxOptions.rawBodyRetentionDays, limit]
    )
    return rows.length
  }

  /**
   * Runs `work` alone for `key` across every process on this database (the in-memory locking Medusa
   * defaults to holds only within one process). The lock is a row with an expiry (`leaseSeconds`),
   * so no connection is held while `work` runs; waits at most `lockTimeoutSeconds` for it, then throws.
   */
  async exclusively<T>(key: string, work: () => Promise<T>): Promise<T> {
    const holder = randomUUID()
    const deadline = Date.now() + this.inboxOptions.lockTimeoutSeconds * 1000
    let wait = 25
    while (!(await this.tryLock(key, holder))) {
      if (Date.now() > deadline) {
        throw new Error(`another process has been working on ${key} for longer than ${this.inboxOptions.lockTimeoutSeconds} s`)
      }
      await new Promise((resolve) => setTimeout(resolve, wait))
      wait = Math.min(wait * 2, 500)
    }
    try {
      return await work()
    } finally {
      await this.manager_.execute(`DELETE FROM payment_webhook_lock WHERE id = ? AND holder = ?`, [key, holder])
    }
  }

  /** Takes the lock if it is free or its holder's lease ran out; true when `holder` has it. */
  private async tryLock(key: string, holder: string): Promise<boolean> {
    const rows = await this.manager_.execute<Array<{ holder: string }>>(
      `INSERT INTO payment_webhook_lock (id, holder, expires_at, created_at, updated_at)
       VALUES (?, ?, now() + make_interval(secs => ?), now(), now())
       ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at, updated_at = now()
       WHERE payment_webhook_lock.expires_at < now()
       RETURNING holder`,
      [key, holder, this.inboxOptions.leaseSeconds]
    )
    return rows[0]?.holder === holder
  }

  /** Of these sessions, those whose last reconciliation check (if any) has come due. */
  async sessionsDueForCheck(providerId: string, sessionIds: string[]): Promise<string[]> {
    if (!sessionIds.length) {
      return []
    }
    const rows = await this.manager_.execute<Array<{ session_id: string }>>(
      `SELECT session_id FROM payment_reconciliation_check
       WHERE deleted_at IS NULL AND provider_id = ? AND next_check_at > now() AND session_id IN (${sessionIds.map(() => "?").join(", ")})`,
      [providerId, ...sessionIds]
    )
    const notYet = new Set(rows.map((row) => row.session_id))
    return sessionIds.filter((id) => !notYet.has(id))
  }

  /** Notes what the PSP said of a session (unpaid, or the lookup's error); the next look waits twice as long. */
  async noteSessionChecked(providerId: string, sessionId: string, result: string): Promise<void> {
    const base = this.inboxOptions.backoffSeconds
    await this.manager_.execute(
      `INSERT INTO payment_reconciliation_check (id, provider_id, session_id, checks, last_result, last_checked_at, next_check_at, created_at, updated_at)
       VALUES (?, ?, ?, 1, ?, now(), now() + make_interval(secs => ?), now(), now())
       ON CONFLICT (provider_id, session_id) WHERE deleted_at IS NULL DO UPDATE
       SET checks = payment_reconciliation_check.checks + 1, last_result = EXCLUDED.last_result, last_checked_at = now(), updated_at = now(),
           next_check_at = now() + make_interval(secs => LEAST(? * power(2, payment_reconciliation_check.checks), ${ONE_HOUR}))`,
      [newInboxEventId().replace("pwhevt_", "pwhchk_"), providerId, sessionId, storableText(result.slice(0, 500)), base, base]
    )
  }

  /** Backoff after attempt `attempt`: `backoffSeconds` doubling, capped at an hour. */
  backoffSeconds(attempt: number): number {
    return Math.min(this.inboxOptions.backoffSeconds * 2 ** Math.max(attempt - 1, 0), ONE_HOUR)
  }
}

/** JSON PostgreSQL can store: every string in it made storable (a NUL escape is refused by jsonb as well). */
function jsonOrNull(value: Record<string, unknown> | null | undefined): string | null {
  return value ? JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? storableText(item) : item)) : null
}
