import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import { PRUNE_DEFAULTS } from "../../src/modules/payment-webhooks/retention"
import { round, summarize, type LatencySummary } from "../lib/stats"
import type { MaintenanceInput, MaintenanceOutput } from "../store/maintain-inbox"
import { runSlice, type AckSettings } from "./ack"

const SCRIPT = join(__dirname, "..", "store", "maintain-inbox.ts")

/** Plugin acks under steady load (concurrency 32), over one window. */
export type AckWindow = { requests: number; seconds: number; throughput: number; latency: LatencySummary; failures: number }

/** A retention method run to the end, timed, and the edge's figures before and while it ran. */
export type MaintenanceResult = {
  input: MaintenanceInput
  /** How its batches were paced: the plugin's defaults (absent from runs before them). */
  pacing?: { batchSize: number; budgetMs: number; restRatio: number }
  /** Rows it could take before and after, where the benchmark can count them (null where it cannot). */
  eligibleBefore: number | null
  eligibleAfter: number | null
  output: MaintenanceOutput | null
  error: string | null
  before: AckWindow
  duringLoad: AckWindow
  /** During ÷ before. */
  ratios: { throughput: number; p99: number; p50: number }
}

/** Runs plugin-route slices of `sliceSize` until `done()` (at least one), and sums them. */
async function loadWhile(
  store: StoreProcess,
  settings: AckSettings,
  label: string,
  done: () => boolean,
  sliceSize = 600,
): Promise<AckWindow> {
  const latencies: number[] = []
  let durationMs = 0
  let failures = 0
  let slice = 0
  do {
    const { run } = await runSlice(store, "plugin", 32, settings, {
      prefix: `evt_bench_${settings.runId}_${label}_${slice++}_`,
      amount: sliceSize,
      warmup: 32,
    })
    latencies.push(...run.latencies)
    durationMs += run.durationMs
    failures += run.non2xx + run.errors + run.timeouts
  } while (!done())
  const latency = summarize(latencies)
  return {
    requests: latencies.length,
    seconds: round(durationMs / 1000, 1),
    throughput: round((latencies.length / durationMs) * 1000, 1),
    latency,
    failures,
  }
}

/**
 * Times a retention method (`input.method` with its age only, its batches paced by the plugin's
 * defaults; a `medusa exec` script beside the running server) called until it takes nothing, with
 * acks sent to the plugin's route all the while; the same load runs for three slices before it, as
 * the baseline. `countEligible`, when the benchmark can count the rows the method would take.
 */
export async function runMaintenance(
  store: StoreProcess,
  settings: AckSettings,
  input: MaintenanceInput,
  countEligible: (() => Promise<number>) | null,
): Promise<MaintenanceResult> {
  const slices = (() => {
    let count = 0
    return () => ++count >= 3
  })()
  const before = await loadWhile(store, settings, `pre_${input.method}`, slices)
  const eligibleBefore = countEligible ? await countEligible() : null
  const dir = mkdtempSync(join(tmpdir(), "mpw-bench-maintenance-"))
  try {
    const inFile = join(dir, "in.json")
    const marker = join(dir, "started")
    const outFile = join(dir, "out.json")
    writeFileSync(inFile, JSON.stringify(input))
    let finished = false
    let error: string | null = null
    const exec = store
      .exec(SCRIPT, [inFile, marker, outFile])
      .then(
        () => undefined,
        (failure: unknown) => {
          error = (failure instanceof Error ? failure.message : String(failure)).split("\n").slice(-6).join(" ").slice(0, 600)
        },
      )
      .finally(() => (finished = true))
    while (!existsSync(marker) && !finished) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const duringLoad = await loadWhile(store, settings, `during_${input.method}`, () => finished)
    await exec
    const output = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, "utf8")) as MaintenanceOutput) : null
    return {
      input,
      pacing: { ...PRUNE_DEFAULTS },
      eligibleBefore,
      eligibleAfter: countEligible ? await countEligible() : null,
      output,
      error,
      before,
      duringLoad,
      ratios: {
        throughput: round(duringLoad.throughput / before.throughput, 3),
        p99: round(duringLoad.latency.p99 / before.latency.p99, 3),
        p50: round(duringLoad.latency.p50 / before.latency.p50, 3),
      },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
