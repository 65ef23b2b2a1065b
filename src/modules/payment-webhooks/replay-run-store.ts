import { randomUUID } from "node:crypto"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import {
  cancelReplayRun,
  claimStaleReplayRun,
  finishReplayRun,
  insertReplayRun,
  noteReplayRunAlive,
  readReplayRun,
  readRunningReplayRun,
  type NewReplayRun,
  type ReplayRunClaim,
  type ReplayRunEnding,
  type ReplayRunProgress,
  type ReplayRunRow,
} from "./replay-runs"
import { STATEMENT_TIMEOUTS_MS, withStatementTimeout } from "./statement-timeout"

/**
 * The bulk replay runs the inbox keeps (the inbox service's `replayRuns`): each call one short statement
 * on the runs' table under the admin's statement timeout, each write only while its claim holds.
 */
export class ReplayRunStore {
  constructor(private readonly manager: SqlEntityManager) {}

  private inTimeout<T>(work: (manager: SqlEntityManager) => Promise<T>): Promise<T> {
    return withStatementTimeout(this.manager, STATEMENT_TIMEOUTS_MS.adminRead, work)
  }

  /**
   * Records a bulk replay run, held by this process under the claim answered; `{ running }` instead,
   * with nothing written, while another run is running (at most one at a time; null if it just ended).
   */
  async start(input: NewReplayRun): Promise<ReplayRunClaim | { running: ReplayRunRow | null }> {
    const token = randomUUID()
    return this.inTimeout(async (manager) => {
      const run = await insertReplayRun(manager, input, token)
      return run ? { run, token } : { running: await readRunningReplayRun(manager) }
    })
  }

  /** One bulk replay run, as far as it got; null when there is none. */
  async read(id: string): Promise<ReplayRunRow | null> {
    return this.inTimeout((manager) => readReplayRun(manager, id))
  }

  /** Takes over the running run whose process has not said it was alive for `staleSeconds` (it died); null when there is none. */
  async claimStale(staleSeconds: number): Promise<ReplayRunClaim | null> {
    const token = randomUUID()
    const run = await this.inTimeout((manager) => claimStaleReplayRun(manager, token, staleSeconds))
    return run ? { run, token } : null
  }

  /** Notes that the run's process is alive, with how far it got when given; false once the claim no longer holds. */
  async noteAlive(claim: ReplayRunClaim, progress?: ReplayRunProgress): Promise<boolean> {
    return this.inTimeout((manager) => noteReplayRunAlive(manager, claim, progress))
  }

  /** Ends a held run `done` or `failed`; null when the claim no longer held (cancelled, or taken over). */
  async finish(claim: ReplayRunClaim, ending: ReplayRunEnding): Promise<ReplayRunRow | null> {
    return this.inTimeout((manager) => finishReplayRun(manager, claim, ending))
  }

  /** Stops a running run (`cancelled`); its process stops at its next write. Null when it is not running. */
  async cancel(id: string): Promise<ReplayRunRow | null> {
    return this.inTimeout((manager) => cancelReplayRun(manager, id))
  }
}
