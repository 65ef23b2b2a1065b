import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import { PRUNE_DEFAULTS } from "../../src/modules/payment-webhooks/retention"
import { round, summarize, type LatencySummary } from "../lib/stats"
import type { MaintenanceInput, MaintenanceOutput } from "../store/maintain-inbox"
import { runSlice, type AckSettings, type Slice } from "./ack"

const SCRIPT = join(__dirname, "..", "store", "maintain-inbox.ts")

/** Plugin acks over one window, at concurrency 32. */
export type AckWindow = { requests: number; seconds: number; throughput: number; latency: LatencySummary; failures: number }

/** The edge's figures during a retention method ÷ just before it. */
export type WindowRatios = { throughput: number; p99: number; p50: number }

/** The edge at a steady rate it can carry (half what it answered flat out just before), before and while the method ran. */
export type SteadyLoad = { rate: number; before: AckWindow; duringLoad: AckWindow; ratios: WindowRatios }

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
  /** The edge flat out (every connection sends again as soon as it is answered): before and during. */
  before: AckWindow
  duringLoad: AckWindow
  /** During ÷ before, flat out. */
  ratios: WindowRatios
  /** The same at a steady rate (absent from runs before it was measured). */
  steady?: SteadyLoad
}

/** Requests of a flat-out slice; a steady slice lasts about 3 s at its rate. */
const SLICE = 600
const steadySlice = (rate: number) => Math.max(300, Math.round(rate * 3))

/** Collects slices of one kind of load into one window. */
class WindowOf {
  private readonly latencies: number[] = []
  private durationMs = 0
  private failures = 0

  add(run: Slice["run"]): void {
    this.latencies.push(...run.latencies)
    this.durationMs += run.durationMs
    this.failures += run.non2xx + run.errors + run.timeouts
  }

  get throughput(): number {
    return (this.latencies.length / this.durationMs) * 1000
  }

  window(): AckWindow {
    return {
      requests: this.latencies.length,
      seconds: round(this.durationMs / 1000, 1),
      throughput: round(this.throughput, 1),
      latency: summarize(this.latencies),
      failures: this.failures,
    }
  }
}

/**
 * Loads the plugin's route until `done()`, alternating a flat-out slice with one at `rate` (when
 * given): both kinds of load see the same moments of the work, and each is summed into its window.
 */
async function loadWhile(
  store: StoreProcess,
  settings: AckSettings,
  label: string,
  done: () => boolean,
  windows: { flat: WindowOf; steady: { window: WindowOf; rate: number } | null },
): Promise<void> {
  let slice = 0
  do {
    const flat = await runSlice(store, "plugin", 32, settings, {
      prefix: `evt_bench_${settings.runId}_${label}_${slice++}_`,
      amount: SLICE,
      warmup: 32,
    })
    windows.flat.add(flat.run)
    if (windows.steady) {
      const { window, rate } = windows.steady
      const steady = await runSlice(store, "plugin", 32, settings, {
        prefix: `evt_bench_${settings.runId}_${label}_${slice++}_`,
        amount: steadySlice(rate),
        warmup: 32,
        rate,
      })
      window.add(steady.run)
    }
  } while (!done())
}

function ratiosOf(during: AckWindow, before: AckWindow): WindowRatios {
  return {
    throughput: round(during.throughput / before.throughput, 3),
    p99: round(during.latency.p99 / before.latency.p99, 3),
    p50: round(during.latency.p50 / before.latency.p50, 3),
  }
}

/** Counts calls of a `done()` up to `n`. */
const times = (n: number) => {
  let count = 0
  return () => ++count >= n
}

/**
 * Times a retention method (`input.method` with its age only, its batches paced by the plugin's
 * defaults; a `medusa exec` script beside the running server) called until it takes nothing, with
 * acks sent to the plugin's route all the while, in two kinds of slice taking turns: flat out (32
 * connections, each sending again as soon as it is answered: on 2 cores the store's CPU is then the
 * limit, and whatever the method takes of it shows in every answer) and at a steady rate of half
 * what flat out carried (a store's edge with room to spare, as a production server runs). The same
 * load runs before the method, as the baseline. `countEligible`, when the benchmark can count the
 * rows the method would take.
 */
export async function runMaintenance(
  store: StoreProcess,
  settings: AckSettings,
  input: MaintenanceInput,
  countEligible: (() => Promise<number>) | null,
): Promise<MaintenanceResult> {
  // Flat out first, three slices, to learn what the edge carries; then twelve of each kind, alternating:
  // the steady baseline is then some 36 s, long enough to hold the store's own rare pauses as often as
  // the window during the method does (at 10 s it held one or none, and its p99 was that pause or not).
  const flatBefore = new WindowOf()
  await loadWhile(store, settings, `pre_${input.method}`, times(3), { flat: flatBefore, steady: null })
  const rate = Math.round(flatBefore.throughput / 2)
  const steadyBefore = new WindowOf()
  await loadWhile(store, settings, `pre2_${input.method}`, times(12), { flat: flatBefore, steady: { window: steadyBefore, rate } })
  const before = flatBefore.window()
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
    const flatDuring = new WindowOf()
    const steadyDuring = new WindowOf()
    await loadWhile(store, settings, `during_${input.method}`, () => finished, { flat: flatDuring, steady: { window: steadyDuring, rate } })
    const duringLoad = flatDuring.window()
    const steadyWindows = { before: steadyBefore.window(), duringLoad: steadyDuring.window() }
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
      ratios: ratiosOf(duringLoad, before),
      steady: { rate, ...steadyWindows, ratios: ratiosOf(steadyWindows.duringLoad, steadyWindows.before) },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
