import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { AckMeasurement, AckTargetKey } from "../phases/ack"
import type { OrdersResult } from "../phases/orders"
import type { VerifyCase } from "../phases/verify"
import type { StageTiming } from "../profile/stage-timer"
import { ratio } from "../lib/stats"
import type { LoadCheck } from "../store/checks"
import type { Machine } from "./machine"

/** Settings of one run. */
export type BenchSettings = {
  n: number
  concurrency: number[]
  carts: number
  eventBus: string
  ackPoolSessions: number
  /** Rounds the plugin's and Medusa's ack runs were interleaved in, on one store start (1 when profiled). */
  ackRounds: number
  /** The store ran under the CPU profiler during the ack runs: its figures include the profiler's overhead. */
  cpuProfiled: boolean
}

/** Plugin ÷ Medusa at one concurrency (and the inbox's own cost: inbox on ÷ inbox off). */
export type AckRatios = { concurrency: number; throughput: number; p99: number; inboxOnVsOffThroughput: number; inboxOnVsOffP99: number }

/** One target of the issue and whether this run met it. */
export type TargetCheck = { name: string; value: number | null; target: string; pass: boolean }

/** Everything `bench/results.json` holds. */
export type BenchResults = {
  startedAt: string
  totalSeconds: number
  machine: Machine
  settings: BenchSettings
  loadChecks: LoadCheck[]
  verification: VerifyCase[]
  stages: StageTiming[] | null
  ack: AckMeasurement[]
  ackRatios: AckRatios[]
  orders: OrdersResult | null
  targets: TargetCheck[]
}

function find(ack: readonly AckMeasurement[], target: AckTargetKey, concurrency: number): AckMeasurement | undefined {
  return ack.find((run) => run.target === target && run.concurrency === concurrency)
}

/** Ratios per concurrency, from the runs made in this benchmark. */
export function ackRatios(ack: readonly AckMeasurement[], concurrencies: readonly number[]): AckRatios[] {
  return concurrencies.flatMap((concurrency) => {
    const plugin = find(ack, "plugin", concurrency)
    const medusa = find(ack, "medusa", concurrency)
    const off = find(ack, "plugin_inbox_off", concurrency)
    if (!plugin || !medusa) {
      return []
    }
    return [{
      concurrency,
      throughput: ratio(plugin.throughput, medusa.throughput),
      p99: ratio(plugin.latency.p99, medusa.latency.p99),
      inboxOnVsOffThroughput: off ? ratio(plugin.throughput, off.throughput) : Number.NaN,
      inboxOnVsOffP99: off ? ratio(plugin.latency.p99, off.latency.p99) : Number.NaN,
    }]
  })
}

/** Answers with a 2xx status. */
export function okCount(statusCounts: Record<string, number>): number {
  return Object.entries(statusCounts).reduce((sum, [code, count]) => (code.startsWith("2") ? sum + count : sum), 0)
}

/** The targets, checked against this run. */
export function checkTargets(results: Omit<BenchResults, "targets" | "totalSeconds">): TargetCheck[] {
  const targets: TargetCheck[] = []
  for (const ratios of results.ackRatios) {
    targets.push({ name: `ack throughput plugin/Medusa @${ratios.concurrency}`, value: ratios.throughput, target: "≥ 0.9", pass: ratios.throughput >= 0.9 })
    targets.push({ name: `ack p99 plugin/Medusa @${ratios.concurrency}`, value: ratios.p99, target: "≤ 1.5", pass: ratios.p99 <= 1.5 })
  }
  const errors = results.ack.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0)
  targets.push({ name: "ack non-2xx + errors (all runs)", value: errors, target: "0", pass: errors === 0 })
  const unrecorded = results.ack
    .filter((run) => run.target === "plugin")
    .reduce((sum, run) => sum + Math.abs(run.ok2xx - (run.recorded?.received ?? 0)), 0)
  targets.push({ name: "plugin ack: acknowledged but not recorded", value: unrecorded, target: "0", pass: unrecorded === 0 })
  // Verification goes through the Stripe SDK and standardwebhooks: its table is information, with no target.
  const orders = results.orders
  targets.push({ name: "orders: lost carts", value: orders ? orders.lost : null, target: "0", pass: !!orders && orders.lost === 0 })
  targets.push({ name: "orders: double-captured carts", value: orders ? orders.doubleCaptured : null, target: "0", pass: !!orders && orders.doubleCaptured === 0 })
  const burstErrors = orders ? orders.burst.sent - okCount(orders.burst.statusCounts) : null
  targets.push({ name: "orders: burst non-2xx + errors", value: burstErrors, target: "0", pass: burstErrors === 0 })
  return targets
}

/** Writes `bench/results.json`. */
export function writeResults(results: BenchResults): string {
  const file = join(__dirname, "..", "results.json")
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  return file
}
