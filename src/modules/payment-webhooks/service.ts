import { randomUUID } from "node:crypto"
import type { Logger } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { MedusaService } from "@medusajs/framework/utils"
import { PaymentWebhookEvent } from "./models/payment-webhook-event"
import { PaymentReconciliationCheck } from "./models/reconciliation-check"
import { PaymentWebhookLock } from "./models/payment-webhook-lock"
import { parseInboxOptions, type InboxOptions } from "./options"
import { insertDeliveries } from "./delivery-insert"
import { isDataError } from "./postgres-error"
import { noteSessionChecked, sessionsDueForCheck } from "./reconciliation-checks"
import { runExclusively } from "./session-lock"
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
      // Only a value the database refuses is worth writing row by row; a timeout or a lost
      // connection would only be hit harder by a hundred single statements.
      if (inputs.length === 1 || !isDataError(error)) {
        return inputs.map(() => new InboxUnavailableError(databaseReason(error)))
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
   * Extends a claim by a fresh `leaseSeconds` while it still holds (once the session's lock is taken,
   * before any effect runs, so a long wait for the lock never leaves the effect outside the lease).
   */
  async renewClaim(claim: Pick<ClaimedDelivery, "id" | "token">): Promise<boolean> {
    const rows = await this.manager_.execute<Array<{ id: string }>>(
      `UPDATE ${TABLE} SET lease_until = now() + make_interval(secs => ?), updated_at = now()
       WHERE id = ? AND claim_token = ? AND status = 'received' RETURNING id`,
      [this.inboxOptions.leaseSeconds, claim.id, claim.token]
    )
    return rows.length > 0
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
   * Runs `work` alone for `key` across every process on this database (see {@link runExclusively}):
   * the lock lasts `leaseSeconds`, and the wait for it at most `lockTimeoutSeconds`.
   */
  async exclusively<T>(key: string, work: () => Promise<T>): Promise<T> {
    return runExclusively(this.manager_, key, { leaseSeconds: this.inboxOptions.leaseSeconds, waitSeconds: this.inboxOptions.lockTimeoutSeconds }, work)
  }

  /** Of these sessions, those whose last reconciliation check (if any) has come due. */
  async sessionsDueForCheck(providerId: string, sessionIds: string[]): Promise<string[]> {
    return sessionsDueForCheck(this.manager_, providerId, sessionIds)
  }

  /** Notes what the PSP said of a session (unpaid, or the lookup's error); the next look waits twice as long. */
  async noteSessionChecked(providerId: string, sessionId: string, result: string): Promise<void> {
    await noteSessionChecked(this.manager_, { providerId, sessionId, result, backoffSeconds: this.inboxOptions.backoffSeconds })
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
