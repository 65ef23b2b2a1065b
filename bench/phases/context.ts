import type { SeededStore } from "../../integration-tests/support/seed"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { FakeStripe } from "../../src/testing/stripe"
import type { BenchConfig } from "../config"
import type { AckPool } from "../store/ack-pool"

/** What every phase that loads the bench store is handed. */
export type StoreContext = {
  config: BenchConfig
  store: StoreProcess
  fake: FakeStripe
  seeded: SeededStore
  pool: AckPool
  /** The run's endpoint secret (made up per run; never printed). */
  secret: string
  /** Prints a progress line. */
  step: (message: string) => void
}

/** Env of each kind of store start. */
export const STARTS = {
  checks: { PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "1000" },
  // The ack runs measure the acknowledgement: the work both routes leave for later is held off (the
  // subscriber runs Medusa's route queues, the plugin's announcements), and so is the re-drive job.
  ack: { BENCH_HOLD_DELAYED_EVENTS: "1", PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: String(24 * 3600_000) },
  ackInboxOff: { BENCH_HOLD_DELAYED_EVENTS: "1", PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: String(24 * 3600_000), BENCH_INBOX_ENABLED: "false" },
  // The retention runs measure the edge against itself over many minutes: the plugin's announcements
  // are dropped, not held, so that the held ones do not grow the heap across the run.
  maintenance: { BENCH_HOLD_DELAYED_EVENTS: "1", BENCH_DROP_DELAYED_EVENTS: "1", PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: String(24 * 3600_000) },
  // Default settings: Medusa's in-memory event bus, the plugin's default processor and job.
  orders: {},
} satisfies Record<string, NodeJS.ProcessEnv>

/** Restarts the store with `env` (killed first: what it had queued dies with it). */
export async function restart(store: StoreProcess, env: NodeJS.ProcessEnv): Promise<void> {
  await store.stop("SIGKILL")
  await store.start(90_000, env)
}
