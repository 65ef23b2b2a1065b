import type { Logger } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { MedusaService } from "@medusajs/framework/utils"
import { PaymentWebhookEvent } from "./models/payment-webhook-event"
import { PaymentReconciliationCheck } from "./models/reconciliation-check"
import { PaymentWebhookJobRun } from "./models/job-run"
import { PaymentWebhookReplayRun } from "./models/replay-run"
import { ReplayRunStore } from "./replay-run-store"
import { readInboxFigures, type InboxFigures } from "./health-figures"
import { STATEMENT_TIMEOUTS_MS, withStatementTimeout } from "./statement-timeout"
import { ensureInboxIndexes } from "./indexes"
import { noteJobFinished, noteJobStarted, readJobRun, type JobProcess, type JobRunRow } from "./job-runs"
import {
  dropSettledRawBodies,
  PRUNE_DEFAULTS,
  pruneForgeries,
  pruneReconciliationChecks,
  pruneSettledDeliveries,
  type PruneOptions,
} from "./retention"
import { countUnverifiedWaiting } from "./foreign-statements"
import { parseInboxOptions, type InboxOptions } from "./options"
import { insertDeliveries } from "./delivery-insert"
import { isDataError } from "./postgres-error"
import { noteSessionChecked, sessionsDueForCheck } from "./reconciliation-checks"
import type { ClaimedDelivery, DeliveryRecordInput, DeliveryVerdict, InboxStatus, RecordOutcome } from "./types"
import { StatementBatcher } from "./statement-batcher"
import {
  claimRow,
  dueRowIds,
  giveBackRow,
  renewClaimRow,
  requeueRow,
  settleByPersonRow,
  settleRow,
  type RequeueResult,
  type SettleByPersonResult,
} from "./claim-statements"
import {
  pageOfDeliveries,
  replayCandidates,
  summarizeInbox,
  type DeliveryListFilter,
  type DeliveryPage,
  type InboxStatusSummary,
  type ReplayCandidate,
  type ReplayCandidateQuery,
} from "./admin-statements"
import { databaseReason } from "../../lib/errors"
import { runInboxStartHooks } from "../../lib/start-hooks"

/** What the module resolves from its container. */
type InboxCradle = { manager: SqlEntityManager; logger: Logger }

const ONE_HOUR = 3600

/** Thrown when a delivery could not be recorded in time: the edge answers 503 so the PSP retries. */
export class InboxUnavailableError extends Error {
  override readonly name = "InboxUnavailableError"
}

/**
 * The inbox of PSP deliveries. The hot-path insert (ON CONFLICT) and the claim (a lease under a
 * token) are single SQL statements: they hold across processes, not just in memory.
 */
export default class PaymentWebhooksModuleService extends MedusaService({
  PaymentWebhookEvent,
  PaymentReconciliationCheck,
  PaymentWebhookJobRun,
  PaymentWebhookReplayRun,
}) {
  readonly inboxOptions: InboxOptions
  /** The bulk replay runs: started, read, held, cancelled (see {@link ReplayRunStore}). */
  readonly replayRuns: ReplayRunStore
  protected readonly manager_: SqlEntityManager
  protected readonly logger_: Logger
  /** Set once a prepared statement went missing between two uses of a connection. */
  private preparedStatementsUnsupported = false
  private readonly deliveryWriter: StatementBatcher<DeliveryRecordInput, RecordOutcome | Error>

  /** Medusa calls these on the module's service once the whole application has started. */
  readonly __hooks = {
    onApplicationStart: async (): Promise<void> => {
      await runInboxStartHooks()
      // In the background: on a large inbox a concurrent build takes minutes, and the store serves meanwhile.
      void this.ensureIndexes()
    },
  }

  constructor(cradle: InboxCradle, options: Record<string, unknown> | undefined) {
    super(cradle, options)
    this.manager_ = cradle.manager
    this.logger_ = cradle.logger
    this.inboxOptions = parseInboxOptions(options ?? {})
    this.replayRuns = new ReplayRunStore(cradle.manager)
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
        inputs.map((input) =>
          this.writeGroup([input], timeoutMs).then(
            ([outcome]) => outcome,
            (single: unknown) => new InboxUnavailableError(databaseReason(single)),
          ),
        ),
      )
    }
  }

  private async writeGroup(inputs: DeliveryRecordInput[], timeoutMs: number): Promise<RecordOutcome[]> {
    const prepared = !this.preparedStatementsUnsupported
    const written = await insertDeliveries(this.manager_.getKnex(), inputs, { timeoutMs, prepared })
    if (prepared && !written.prepared) {
      this.preparedStatementsUnsupported = true
      this.logger_.warn(
        "The database connection does not keep prepared statements (a pooler in transaction mode?): recording deliveries without them",
      )
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
    return claimRow(this.manager_, id, {
      evenIfBackingOff: options.evenIfBackingOff,
      leaseSeconds: options.leaseSeconds ?? this.inboxOptions.leaseSeconds,
    })
  }

  /**
   * Extends a claim by a fresh `leaseSeconds` while it still holds (once the session's lock is taken,
   * before any effect runs, so a long wait for the lock never leaves the effect outside the lease).
   */
  async renewClaim(claim: Pick<ClaimedDelivery, "id" | "token">): Promise<boolean> {
    return renewClaimRow(this.manager_, claim, this.inboxOptions.leaseSeconds)
  }

  /**
   * Ids of events due for processing, oldest first: `received` for at least `olderThanSeconds`,
   * their backoff passed, no live claim on them. Reading them claims nothing: each is claimed on its own.
   */
  async dueDeliveryIds(options: { olderThanSeconds?: number; limit?: number } = {}): Promise<string[]> {
    return withStatementTimeout(this.manager_, STATEMENT_TIMEOUTS_MS.maintenance, (manager) =>
      dueRowIds(manager, options.olderThanSeconds ?? this.inboxOptions.redriveAfterSeconds, options.limit ?? this.inboxOptions.batchSize),
    )
  }

  /**
   * Ends a claimed event with its verdict and what processing learnt of it, only while the claim
   * still holds: false when the lease ran out and another processor took the row, whose own verdict stands.
   */
  async settle(claim: Pick<ClaimedDelivery, "id" | "token">, verdict: DeliveryVerdict): Promise<boolean> {
    return settleRow(this.manager_, claim, verdict)
  }

  /**
   * Gives a claimed event back after a failed attempt: retried after a doubling backoff, or `failed`
   * once `maxAttempts` is reached. Only while the claim holds; null when it no longer did.
   */
  async retryLater(
    claim: Pick<ClaimedDelivery, "id" | "token" | "attempts">,
    error: string,
    learnt: Pick<DeliveryVerdict, "facts" | "needs_attention"> = {},
  ): Promise<InboxStatus | null> {
    if (claim.attempts >= this.inboxOptions.maxAttempts) {
      return (await this.settle(claim, { status: "failed", reason: error, ...learnt })) ? "failed" : null
    }
    const givenBack = await giveBackRow(
      this.manager_,
      claim,
      error,
      this.backoffSeconds(claim.attempts),
      learnt.facts?.psp_reference ?? null,
    )
    return givenBack ? "received" : null
  }

  /**
   * Moves an event back to `received`, due at once (an admin's replay). `missing` when there is no
   * such event; `no_body` when its raw body was dropped by retention, so it cannot be processed again;
   * `claimed` while a processor holds it under a live lease; `changed` when `expectedStatus` is given
   * and the row no longer has it (see {@link requeueRow}).
   */
  async requeue(id: string, options: { expectedStatus?: InboxStatus } = {}): Promise<RequeueResult> {
    return requeueRow(this.manager_, id, options)
  }

  /**
   * A person settles a delivery that failed or needs attention (see {@link settleByPersonRow}): `missing`,
   * `claimed` while a processor holds it, `nothing_to_settle` when it neither failed nor needs attention.
   */
  async settleByPerson(id: string, settled: { note: string; actor: string | null }): Promise<SettleByPersonResult> {
    return settleByPersonRow(this.manager_, id, settled)
  }

  /**
   * Drops the raw bodies of deliveries settled (`processed`, `ignored`, not needing a person) more than
   * `rawBodyRetentionDays` ago, in short paced batches for at most `budgetMs` (see retention.ts). A
   * `failed` row or one flagged for a person keeps its body, so it can be replayed. Answers how many.
   */
  async dropOldRawBodies(options: Partial<PruneOptions> = {}): Promise<number> {
    return dropSettledRawBodies(this.manager_, { olderThanDays: this.inboxOptions.rawBodyRetentionDays, ...PRUNE_DEFAULTS, ...options })
  }

  /**
   * Builds the inbox's indexes for a large table that are missing (see indexes.ts), `CONCURRENTLY`, one
   * process at a time. Cheap when they exist; called at start and by each pass of the job. Answers the names built.
   */
  async ensureIndexes(): Promise<string[]> {
    return ensureInboxIndexes(this.manager_, this.logger_)
  }

  /**
   * Deletes settled deliveries (`processed`, `ignored`; never `failed` or needing attention) older
   * than `retentionDays`, in short batches for at most `budgetMs` (see retention.ts). Answers how many.
   */
  async pruneSettled(options: Partial<PruneOptions> = {}): Promise<number> {
    return pruneSettledDeliveries(this.manager_, { olderThanDays: this.inboxOptions.retentionDays, ...PRUNE_DEFAULTS, ...options })
  }

  /** Deletes deliveries that failed their verification, a day after they settled, in short batches. Answers how many. */
  async pruneForgeries(options: Partial<Omit<PruneOptions, "olderThanDays">> = {}): Promise<number> {
    return pruneForgeries(this.manager_, { ...PRUNE_DEFAULTS, ...options })
  }

  /**
   * How many unverified deliveries of `providerId` wait for the processor, counted up to `limit` at
   * most (the edge only asks whether the limit is reached, so the count stops there).
   */
  async unverifiedWaiting(providerId: string, limit: number): Promise<number> {
    return withStatementTimeout(this.manager_, this.inboxOptions.recordTimeoutMs, (manager) =>
      countUnverifiedWaiting(manager, providerId, limit),
    )
  }

  /** Deletes reconciliation checks of sessions past `reconcileHorizonSeconds` (never looked up again), in short batches. */
  async pruneReconciliationChecks(options: Partial<Omit<PruneOptions, "olderThanDays">> = {}): Promise<number> {
    return pruneReconciliationChecks(this.manager_, {
      horizonSeconds: this.inboxOptions.reconcileHorizonSeconds,
      ...PRUNE_DEFAULTS,
      ...options,
    })
  }

  /** Notes, in the job's heartbeat row, that a pass of `job` starts on `runner`. */
  async noteJobStarted(job: string, runner: JobProcess, intervalMs: number): Promise<void> {
    await noteJobStarted(this.manager_, job, runner, intervalMs)
  }

  /** Notes that a pass of `job` ended on `runner`, with its summary or its error. */
  async noteJobFinished(job: string, runner: JobProcess, pass: Parameters<typeof noteJobFinished>[3]): Promise<void> {
    await noteJobFinished(this.manager_, job, runner, pass)
  }

  /** The heartbeat of `job`; null if it never ran on this database. */
  async lastJobRun(job: string): Promise<JobRunRow | null> {
    return readJobRun(this.manager_, job)
  }

  /**
   * Backlog (and its oldest due delivery), failures and deliveries needing a person: the one reading
   * behind the health check, the backlog's gauges and its alert (see {@link readInboxFigures}).
   */
  async inboxFigures(overdueAfterSeconds: number): Promise<InboxFigures> {
    return withStatementTimeout(this.manager_, STATEMENT_TIMEOUTS_MS.maintenance, (manager) =>
      readInboxFigures(manager, overdueAfterSeconds),
    )
  }

  /**
   * The heartbeat of `job` and the inbox's figures, for the health check: one transaction whose
   * statements the database cancels after `timeoutMs` each, so a slow read never keeps a connection.
   */
  async healthReadings(
    job: string,
    overdueAfterSeconds: number,
    timeoutMs: number,
  ): Promise<{ job: JobRunRow | null; figures: InboxFigures }> {
    return withStatementTimeout(this.manager_, timeoutMs, async (manager) => ({
      job: await readJobRun(manager, job),
      figures: await readInboxFigures(manager, overdueAfterSeconds),
    }))
  }

  /** Of these sessions, those whose last reconciliation check (if any) has come due. */
  async sessionsDueForCheck(providerId: string, sessionIds: string[]): Promise<string[]> {
    return sessionsDueForCheck(this.manager_, providerId, sessionIds)
  }

  /** Notes what the PSP said of a session (unpaid, or the lookup's error); the next look waits twice as long. */
  async noteSessionChecked(providerId: string, sessionId: string, result: string): Promise<void> {
    await noteSessionChecked(this.manager_, { providerId, sessionId, result, backoffSeconds: this.inboxOptions.backoffSeconds })
  }

  /** The inbox at a glance, for the admin: rows by status, how many need a person, the oldest unprocessed receipt. */
  async statusSummary(): Promise<InboxStatusSummary> {
    return withStatementTimeout(this.manager_, STATEMENT_TIMEOUTS_MS.adminRead, summarizeInbox)
  }

  /**
   * One page of deliveries for the admin list, newest first: their ids and how many match, counted up to
   * `COUNT_CAP` (see {@link pageOfDeliveries}); the caller reads the rows by id.
   */
  async pageOfDeliveries(filter: DeliveryListFilter, page: { limit: number; offset: number }): Promise<DeliveryPage> {
    return withStatementTimeout(this.manager_, STATEMENT_TIMEOUTS_MS.adminRead, (manager) => pageOfDeliveries(manager, filter, page))
  }

  /**
   * The rows a bulk replay takes (of one status, received since a moment, oldest first, at most
   * `limit`) and how many match in all; reading them changes nothing (see {@link replayCandidates}).
   */
  async replayCandidates(query: ReplayCandidateQuery): Promise<{ rows: ReplayCandidate[]; total: number }> {
    return withStatementTimeout(this.manager_, STATEMENT_TIMEOUTS_MS.adminRead, (manager) => replayCandidates(manager, query))
  }

  /** Backoff after attempt `attempt`: `backoffSeconds` doubling, capped at an hour. */
  backoffSeconds(attempt: number): number {
    return Math.min(this.inboxOptions.backoffSeconds * 2 ** Math.max(attempt - 1, 0), ONE_HOUR)
  }
}
