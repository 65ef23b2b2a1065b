import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { AckJob, AckRunResult } from "../load/ack-child"
import type { EventTemplate } from "../load/stripe-bodies"
import { runChild } from "../lib/child"
import { RssSampler, type RssPeak } from "../lib/rss"
import { CpuMeter } from "../lib/cpu"
import { currentLoad } from "../report/machine"
import { round, summarize } from "../lib/stats"
import { countByStatus, setAside } from "../../src/modules/payment-webhooks/inspection"
import { cpuScope, withDb } from "../store/db"

const ACK_CHILD = join(__dirname, "..", "load", "ack-child.ts")

/** The routes compared. */
export type AckTargetKey = "plugin" | "medusa" | "medusa_inbox" | "plugin_inbox_off"

/** Route and label of each target. */
export const ACK_TARGETS: Record<AckTargetKey, { route: string; label: string }> = {
  plugin: { route: "stripe_mpw", label: "plugin (verify + record)" },
  medusa: { route: "stripe_stripe", label: "Medusa @medusajs/payment-stripe (queue only)" },
  medusa_inbox: { route: "stripe_inboxed", label: "Medusa @medusajs/payment-stripe through the inbox (its own verification + record)" },
  plugin_inbox_off: { route: "stripe_mpw", label: "plugin's provider on Medusa's route (plugin entry disabled)" },
}

/** One measured run of one target at one concurrency (over all its rounds when interleaved). */
export type AckMeasurement = Omit<AckRunResult, "latencies"> & {
  target: AckTargetKey
  route: string
  concurrency: number
  /** Inbox rows the run left (warm-up included), by status: with the inbox on, every event is recorded. */
  recorded: Record<string, number> | null
  rss: RssPeak
  /** CPU time the store and PostgreSQL spent per request (warm-up included), in ms: the machine's cost of the route. */
  cpuMsPerRequest: { store: number; postgres: number }
  /** 1-minute load average of the machine when the run started (other processes share the cores). */
  loadAverage: number
  /** Rounds the requests were sent in, alternating with the other target's on the same store. */
  rounds: number
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

/** One slice of load: `amount` deliveries to one target, after `warmup` that are not measured. */
export async function runSlice(
  store: StoreProcess,
  target: AckTargetKey,
  concurrency: number,
  settings: AckSettings,
  slice: { prefix: string; amount: number; warmup: number; rate?: number },
) {
  const pid = store.pid
  if (!pid) {
    throw new Error("The store is not running")
  }
  const job: AckJob = {
    url: `${store.url}/hooks/payment/${ACK_TARGETS[target].route}`,
    connections: concurrency,
    warmup: slice.warmup,
    amount: slice.amount,
    templates: settings.templates,
    idPrefix: slice.prefix,
    secret: settings.secret,
    timeoutSeconds: 30,
    rate: slice.rate,
  }
  const sampler = new RssSampler(pid).start()
  const meter = await new CpuMeter(cpuScope(store)).start()
  if (settings.cpuProfile) {
    process.kill(pid, "SIGUSR2")
  }
  const run = await runChild<AckJob, AckRunResult>(ACK_CHILD, job, 150_000)
  const cpu = await meter.stop()
  const rss = sampler.stop()
  if (settings.cpuProfile) {
    process.kill(pid, "SIGUSR2")
    // Writing the profile takes the store a moment; it is killed before the next run.
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
  return { run, rss, cpu }
}

/** One slice's figures. */
export type Slice = Awaited<ReturnType<typeof runSlice>>

/** Why the ack benchmark's deliveries are set aside: they name sessions whose intents were never paid. */
const ACK_ONLY = "benchmark: ack-only delivery"

/** Inbox rows the target's deliveries left, by status; then set aside so the re-drive job leaves them alone. */
async function recordedRows(store: StoreProcess, target: AckTargetKey, prefix: string): Promise<Record<string, number> | null> {
  if (target === "medusa") {
    return null
  }
  return withDb(store.databaseUrl, async (db) => {
    const rows = await countByStatus(db, { eventIdPrefix: prefix })
    await setAside(db, { eventIdPrefix: prefix }, ACK_ONLY)
    return rows
  })
}

/** Sums the slices of one target into one measurement. */
function mergeSlices(
  slices: Slice[],
): Omit<AckRunResult, "latencies"> & { rss: RssPeak; cpuMsPerRequest: { store: number; postgres: number } } {
  const latencies = slices.flatMap(({ run }) => run.latencies)
  const durationMs = slices.reduce((sum, { run }) => sum + run.durationMs, 0)
  const statusCounts: Record<string, number> = {}
  for (const { run } of slices) {
    for (const [code, count] of Object.entries(run.statusCounts)) {
      statusCounts[code] = (statusCounts[code] ?? 0) + count
    }
  }
  const sum = (pick: (run: AckRunResult) => number) => slices.reduce((total, { run }) => total + pick(run), 0)
  return {
    requests: latencies.length,
    warmupRequests: sum((run) => run.warmupRequests),
    ok2xx: sum((run) => run.ok2xx),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    statusCounts,
    durationMs,
    throughput: (latencies.length / durationMs) * 1000,
    latency: summarize(latencies),
    // Warm-up requests are inside the metered window too.
    cpuMsPerRequest: {
      store: round(slices.reduce((total, { cpu }) => total + cpu.storeMs, 0) / (latencies.length + sum((run) => run.warmupRequests)), 3),
      postgres: round(
        slices.reduce((total, { cpu }) => total + cpu.postgresMs, 0) / (latencies.length + sum((run) => run.warmupRequests)),
        3,
      ),
    },
    rss: {
      treeMiB: Math.max(...slices.map(({ rss }) => rss.treeMiB)),
      processMiB: Math.max(...slices.map(({ rss }) => rss.processMiB)),
      hwmMiB: Math.max(...slices.map(({ rss }) => rss.hwmMiB)),
      samples: slices.reduce((total, { rss }) => total + rss.samples, 0),
    },
  }
}

/** Warm-up of a target's first slice: enough to open every connection and warm the server's code. */
const firstWarmup = (concurrency: number, n: number) => Math.max(concurrency * 3, Math.min(400, Math.round(n / 10)))

/**
 * Ack runs of several targets on one started store, interleaved: `rounds` rounds of n/rounds
 * deliveries per target, the order flipped each round (A B, B A, …). A noisy machine's drift over
 * the phase then falls on every target alike; each target's figures are over all its rounds
 * (throughput = requests ÷ time spent on them, percentiles over every latency).
 */
export async function measureAckInterleaved(
  store: StoreProcess,
  targets: readonly AckTargetKey[],
  concurrency: number,
  settings: AckSettings & { rounds: number },
): Promise<AckMeasurement[]> {
  const loadAverage = currentLoad()
  const prefixOf = (target: AckTargetKey) => `evt_bench_${settings.runId}_${target}_c${concurrency}_`
  const slices = new Map(targets.map((target) => [target, [] as Slice[]]))
  // Both routes are warmed first, in turns, so that neither's rounds pay for compiling and growing
  // the server (a store keeps getting cheaper per request for thousands of requests after it starts).
  const warmTurns = 2
  const warmed = new Map(targets.map((target) => [target, { requests: 0, ok2xx: 0 }]))
  for (let turn = 0; turn < warmTurns; turn += 1) {
    for (const target of targets) {
      const amount = Math.ceil(Math.max(1000, settings.n / 5) / warmTurns)
      const { run } = await runSlice(store, target, concurrency, settings, { prefix: `${prefixOf(target)}warm${turn}_`, amount, warmup: 0 })
      if (run.non2xx + run.errors + run.timeouts) {
        throw new Error(
          `${target} failed ${run.non2xx + run.errors + run.timeouts} of its warm-up requests: ${JSON.stringify(run.statusCounts)}`,
        )
      }
      warmed.get(target)!.requests += run.requests
      warmed.get(target)!.ok2xx += run.ok2xx
    }
  }
  const perRound = Math.ceil(settings.n / settings.rounds)
  for (let round = 0; round < settings.rounds; round += 1) {
    const order = round % 2 === 0 ? targets : [...targets].reverse()
    for (const target of order) {
      // Every slice opens its connections anew: their first requests are not measured.
      const warmup = concurrency
      const amount = Math.min(perRound, settings.n - round * perRound)
      slices
        .get(target)!
        .push(await runSlice(store, target, concurrency, settings, { prefix: `${prefixOf(target)}r${round}_`, amount, warmup }))
    }
  }
  const measurements: AckMeasurement[] = []
  for (const target of targets) {
    const recorded = await recordedRows(store, target, prefixOf(target))
    const merged = mergeSlices(slices.get(target)!)
    // The warm-up slices' answers count among the acknowledged (and so recorded) ones, not among the measured.
    merged.warmupRequests += warmed.get(target)!.requests
    merged.ok2xx += warmed.get(target)!.ok2xx
    measurements.push({ ...merged, target, route: ACK_TARGETS[target].route, concurrency, recorded, loadAverage, rounds: settings.rounds })
  }
  return measurements
}

/**
 * One ack run of one target on a freshly started store (run with the event bus that holds
 * delayed events, so the subscriber work both routes queue falls after the measurement and dies
 * with the restart): `n` distinct signed `payment_intent.succeeded` deliveries sent by a child
 * process (autocannon), after a warm-up on the same connections.
 */
export async function measureAck(
  store: StoreProcess,
  target: AckTargetKey,
  concurrency: number,
  settings: AckSettings,
): Promise<AckMeasurement> {
  const loadAverage = currentLoad()
  const prefix = `evt_bench_${settings.runId}_${target}_c${concurrency}_`
  const slice = await runSlice(store, target, concurrency, settings, {
    prefix,
    amount: settings.n,
    warmup: firstWarmup(concurrency, settings.n),
  })
  const recorded = await recordedRows(store, target, prefix)
  return { ...mergeSlices([slice]), target, route: ACK_TARGETS[target].route, concurrency, recorded, loadAverage, rounds: 1 }
}
