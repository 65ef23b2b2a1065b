import type { Logger } from "@medusajs/framework/types"
import pLimit from "p-limit"
import { errorMessage } from "../../lib/errors"
import { keepRenewing } from "../../lib/keep-renewing"
import type { ReplayCandidate } from "../../modules/payment-webhooks/admin-statements"
import type { ReplayRunClaim, ReplayRunProgress } from "../../modules/payment-webhooks/replay-runs"
import type { ReplayRunStore } from "../../modules/payment-webhooks/replay-run-store"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import type { ProcessResult } from "../processor/result"

/**
 * Rows of a bulk replay worked on at once. The run has its own limit, outside the processor's turns for
 * live deliveries, and a small one: the database pool and the PSPs keep room for what arrives meanwhile.
 */
export const REPLAY_CONCURRENCY = 2

/** How often a run's process says it is alive while a batch is under way (its progress, after each batch, says so too). */
const HEARTBEAT_MS = 20_000

/** A `running` run silent this long is taken to have lost its process, and the job resumes it. */
export const REPLAY_STALE_SECONDS = 120

/** What driving a run calls on: its rows, the inbox's requeue and run statements, and the processor. */
export type ReplayRunPorts = {
  /** The run's next batch of rows after `after` (all of them from the start when undefined), oldest first. */
  candidates(after: string | undefined): Promise<ReplayCandidate[]>
  inbox: Pick<PaymentWebhooksModuleService, "requeue">
  /** The run's own record: its heartbeat and progress, its end. */
  runs: Pick<ReplayRunStore, "noteAlive" | "finish">
  /** Runs the processor on one requeued row, outside the live turns (the run's own turn holds it). */
  process(id: string): Promise<ProcessResult>
  logger: Logger
}

/**
 * Drives a held run to its end: batch after batch of the rows it matched (after its cursor), each row put
 * back in the queue only if it still has the status it was picked for and no processor holds it, then
 * run through the processor, {@link REPLAY_CONCURRENCY} at a time; the cursor and the counts are written
 * after each batch. Ends `done` when no row is left, `failed` on an error; stops quietly once its claim
 * no longer holds (cancelled, or taken over after its heartbeat went stale). Never throws: what it could
 * not write is left to the job, which resumes a silent run from its last cursor.
 */
export async function driveReplayRun(ports: ReplayRunPorts, claim: ReplayRunClaim): Promise<void> {
  const { run } = claim
  const progress: ReplayRunProgress = { cursor: run.cursor, results: { ...run.results }, not_replayable: run.not_replayable }
  let held = true
  const heartbeat = keepRenewing(async () => (held = held && (await ports.runs.noteAlive(claim))), HEARTBEAT_MS)
  // One limit per run; at most one run is running in the store, so at most one per process.
  const limit = pLimit(REPLAY_CONCURRENCY)
  const replayOne = async (row: ReplayCandidate): Promise<void> => {
    if (!held) {
      return
    }
    // A row settled `processed` meanwhile must not run again (its outcome overwritten), nor a claimed one be reset.
    const requeued = await ports.inbox.requeue(row.id, { expectedStatus: run.filter_status })
    if (requeued === "no_body") {
      progress.not_replayable++
    } else if (requeued !== "requeued") {
      progress.results.skipped++
    } else {
      progress.results[(await ports.process(row.id)).status]++
    }
  }
  const end = async (status: "done" | "failed", error: string | null) => {
    if (!(await ports.runs.finish(claim, { ...progress, status, error }))) {
      ports.logger.info(`Bulk replay ${run.id} was stopped or taken over before it ended`)
    }
  }
  try {
    for (;;) {
      const rows = await ports.candidates(progress.cursor ?? undefined)
      if (!rows.length) {
        await end("done", null)
        return
      }
      const outcomes = await Promise.allSettled(rows.map((row) => limit(() => replayOne(row))))
      progress.cursor = rows[rows.length - 1].id
      const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected")
      if (failure && held) {
        // The row that failed was left `received` (due) or as it was: the job takes it up, or a new run does.
        await end("failed", errorMessage(failure.reason))
        return
      }
      if (!held || !(await ports.runs.noteAlive(claim, progress))) {
        ports.logger.info(`Bulk replay ${run.id} stopped: it was cancelled or taken over`)
        return
      }
    }
  } catch (error) {
    ports.logger.warn(`Bulk replay ${run.id} stopped: ${errorMessage(error)}`)
    await end("failed", errorMessage(error)).catch((ending: unknown) =>
      ports.logger.warn(`Bulk replay ${run.id} could not be marked failed; the job resumes it: ${errorMessage(ending)}`),
    )
  } finally {
    heartbeat.stop()
  }
}
