import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import { round, summarize, type LatencySummary } from "../lib/stats"
import type { PruneInput, PruneOutput } from "../store/prune-inbox"
import { runSlice, type AckSettings } from "./ack"

const SCRIPT = join(__dirname, "..", "store", "prune-inbox.ts")

/** Plugin acks under steady load (concurrency 32), over one window. */
export type AckWindow = { requests: number; seconds: number; throughput: number; latency: LatencySummary; failures: number }

/** The retention prune, timed, and the edge's figures before and while it ran. */
export type PruneResult = {
  input: PruneInput
  /** Settled rows older than the retention age before and after. */
  eligibleBefore: number
  eligibleAfter: number
  output: PruneOutput | null
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
 * Times the retention prune of the settled rows older than `input.olderThanDays` (a `medusa exec`
 * script, beside the running server), with acks sent to the plugin's route all the while; the same
 * load runs for three slices before it, as the baseline.
 */
export async function runPrune(
  store: StoreProcess,
  settings: AckSettings,
  input: PruneInput,
  countEligible: () => Promise<number>,
): Promise<PruneResult> {
  const before = await loadWhile(
    store,
    settings,
    "pre_prune",
    (() => {
      let slices = 0
      return () => ++slices >= 3
    })(),
  )
  const eligibleBefore = await countEligible()
  const dir = mkdtempSync(join(tmpdir(), "mpw-bench-prune-"))
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
    const duringLoad = await loadWhile(store, settings, "during_prune", () => finished)
    await exec
    const output = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, "utf8")) as PruneOutput) : null
    return {
      input,
      eligibleBefore,
      eligibleAfter: await countEligible(),
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
