import { loadavg } from "node:os"
import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { AckJob, AckRunResult } from "../load/ack-child"
import type { EventTemplate } from "../load/stripe-bodies"
import { runChild } from "../lib/child"
import { RssSampler, type RssPeak } from "../lib/rss"
import { inboxRowsByStatus, settleBenchRows, withDb } from "../store/db"

const ACK_CHILD = join(__dirname, "..", "load", "ack-child.ts")

/** The three routes compared. */
export type AckTargetKey = "plugin" | "medusa" | "plugin_inbox_off"

/** Route and label of each target. */
export const ACK_TARGETS: Record<AckTargetKey, { route: string; label: string }> = {
  plugin: { route: "stripe_mpw", label: "plugin (verify + record)" },
  medusa: { route: "stripe_stripe", label: "Medusa @medusajs/payment-stripe (queue only)" },
  plugin_inbox_off: { route: "stripe_mpw", label: "plugin, inbox disabled (verify only)" },
}

/** One measured run of one target at one concurrency. */
export type AckMeasurement = AckRunResult & {
  target: AckTargetKey
  route: string
  concurrency: number
  /** Inbox rows the run left (warm-up included), by status: with the inbox on, every event is recorded. */
  recorded: Record<string, number> | null
  rss: RssPeak
  /** 1-minute load average of the machine when the run started (other processes share the cores). */
  loadAverage: number
}

/** Inputs shared by every run. */
export type AckSettings = {
  n: number
  secret: string
  templates: EventTemplate[]
  runId: string
  /** The store was started with bench/profile/cpu-hook.js: profile this run (SIGUSR2 starts and stops it). */
  cpuProfile?: boolean
}

/**
 * One ack run on a freshly started store (run with the event bus that holds delayed events, so
 * the subscriber runs both routes queue fall after the measurement and die with the restart):
 * distinct signed `payment_intent.succeeded` deliveries sent by a child process (autocannon), a
 * warm-up on the same connections first, then `n` measured.
 */
export async function measureAck(store: StoreProcess, target: AckTargetKey, concurrency: number, settings: AckSettings): Promise<AckMeasurement> {
  const pid = store.pid
  if (!pid) {
    throw new Error("The store is not running")
  }
  const { route } = ACK_TARGETS[target]
  const prefix = `evt_bench_${settings.runId}_${target}_c${concurrency}`
  const loadAverage = Math.round(loadavg()[0] * 100) / 100
  const sampler = new RssSampler(pid).start()
  const job: AckJob = {
    url: `${store.url}/hooks/payment/${route}`,
    connections: concurrency,
    warmup: Math.max(concurrency * 3, Math.min(400, Math.round(settings.n / 10))),
    amount: settings.n,
    templates: settings.templates,
    idPrefix: prefix,
    secret: settings.secret,
    timeoutSeconds: 30,
  }
  if (settings.cpuProfile) {
    process.kill(pid, "SIGUSR2")
  }
  const run = await runChild<AckJob, AckRunResult>(ACK_CHILD, job, 150_000)
  const rss = sampler.stop()
  if (settings.cpuProfile) {
    process.kill(pid, "SIGUSR2")
    // Writing the profile takes the store a moment; it is killed before the next run.
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
  let recorded: Record<string, number> | null = null
  if (target === "plugin" || target === "plugin_inbox_off") {
    recorded = await withDb(store.databaseUrl, async (db) => {
      const rows = await inboxRowsByStatus(db, prefix)
      await settleBenchRows(db, prefix)
      return rows
    })
  }
  return { ...run, target, route, concurrency, recorded, rss, loadAverage }
}
