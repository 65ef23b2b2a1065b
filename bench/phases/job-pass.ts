import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import { parseInboxOptions } from "../../src/modules/payment-webhooks/options"
import { DEFAULT_JOB_INTERVAL_MS, overdueAfterSeconds } from "../../src/webhooks/health/job-schedule"
import { median, round } from "../lib/stats"
import { byPart, type JobPassInput, type JobPassOutput, type PassPart } from "../store/pass-parts"

const SCRIPT = join(__dirname, "..", "store", "job-pass.ts")

/** Timed passes after the warm-up one. */
const PASSES = 3

/** The job's pass at one inbox size (null figures when it failed: `error` says why). */
export type JobPassAt = {
  /** Median wall time of the timed passes (ms), and their slowest. */
  passMs: number | null
  maxPassMs: number | null
  /** The exec process's first pass (its connections and code cold), not in the median. */
  firstPassMs: number | null
  passes: number
  /** Median of each of the inbox's calls of a pass, timed on its own (ms). */
  partsMs: Record<PassPart, number> | null
  /** The retention ages the pass ran with (past the filled rows' oldest: nothing to drop or prune). */
  retentionDays: number
  error: string | null
}

/**
 * Runs the re-drive job's pass in a `medusa exec` process of the store (its server keeps running
 * and idle), with `env` added (the retention ages the pass is to run with), and reads its times.
 */
export async function timeJobPass(store: StoreProcess, env: NodeJS.ProcessEnv, retentionDays: number): Promise<JobPassAt> {
  const dir = mkdtempSync(join(tmpdir(), "mpw-bench-job-"))
  try {
    const inFile = join(dir, "in.json")
    const outFile = join(dir, "out.json")
    // What the health check calls overdue with the plugin's defaults (the job every minute).
    const overdue = overdueAfterSeconds(parseInboxOptions({}).redriveAfterSeconds, DEFAULT_JOB_INTERVAL_MS)
    const input: JobPassInput = { passes: PASSES, overdueAfterSeconds: overdue }
    writeFileSync(inFile, JSON.stringify(input))
    // Another process of the same store (its database, project and seed), with the retention ages of its own.
    const runner = await store.sibling(env)
    await runner.exec(SCRIPT, [inFile, outFile])
    const output = JSON.parse(readFileSync(outFile, "utf8")) as JobPassOutput
    return {
      passMs: round(median(output.passMs), 1),
      maxPassMs: round(Math.max(...output.passMs), 1),
      firstPassMs: round(output.firstPassMs, 1),
      passes: output.passMs.length,
      partsMs: byPart((part) => round(median(output.partsMs[part]), 2)),
      retentionDays,
      error: null,
    }
  } catch (failure) {
    const error = (failure instanceof Error ? failure.message : String(failure)).split("\n").slice(-6).join(" ").slice(0, 600)
    return { passMs: null, maxPassMs: null, firstPassMs: null, passes: 0, partsMs: null, retentionDays, error }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
