import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { PhaseName } from "../config"
import type { AckResult } from "../phases/ack-phase"
import type { DeliveryResult } from "../phases/delivery"
import type { InboxResult } from "../phases/inbox"
import type { TopologyResult } from "../phases/topology"
import type { VerifyCase } from "../phases/verify"
import type { StageTiming } from "../profile/stage-timer"
import type { LoadCheck } from "../store/checks"
import type { Machine } from "./machine"

/** One phase's figures with where and when they were measured (a phase run alone keeps the others' sections). */
export type Section<T> = {
  machine: Machine
  startedAt: string
  seconds: number
  /** The run's settings that shaped this phase's figures. */
  settings: Record<string, unknown>
  result: T
}

/** What each phase's section holds. */
export type PhaseResults = {
  verify: VerifyCase[]
  stages: StageTiming[]
  ack: AckResult
  delivery: DeliveryResult
  inbox: InboxResult
  topology: TopologyResult
}

/** Everything `bench/results.json` holds. */
export type BenchResults = {
  /** The last full `npm run bench` (every phase), if the sections come from one. */
  fullRun: { startedAt: string; seconds: number; machine: Machine } | null
  loadChecks: LoadCheck[] | null
  sections: { [P in PhaseName]?: Section<PhaseResults[P]> }
  /** Phases that failed in the latest run, with why (their earlier section, if any, is kept). */
  failures: Record<string, string>
  /** Each target of the bench, checked against the merged sections (see `targets.ts`). */
  targets: Array<{ name: string; value: number | null; target: string; pass: boolean; reason?: string }>
}

const FILE = join(__dirname, "..", "results.json")

/** The results.json of earlier runs, if it has this layout (a phase run alone updates its own section). */
export function readResults(): BenchResults | null {
  if (!existsSync(FILE)) {
    return null
  }
  try {
    const parsed = JSON.parse(readFileSync(FILE, "utf8")) as Partial<BenchResults>
    return parsed.sections
      ? {
          fullRun: parsed.fullRun ?? null,
          loadChecks: parsed.loadChecks ?? null,
          sections: parsed.sections,
          failures: parsed.failures ?? {},
          targets: [],
        }
      : null
  } catch {
    return null
  }
}

/** Merges this run's sections over the earlier ones; `check` judges every target against the result. */
export function mergeResults(
  earlier: BenchResults | null,
  run: {
    sections: BenchResults["sections"]
    loadChecks: LoadCheck[] | null
    fullRun: BenchResults["fullRun"]
    failures: Record<string, string>
  },
  check: (sections: BenchResults["sections"]) => BenchResults["targets"],
): BenchResults {
  // A full run replaces every section but a failed phase's; a phase run alone replaces its own and keeps the rest.
  const previous = earlier?.sections ?? {}
  const carried = run.fullRun ? Object.fromEntries(Object.entries(previous).filter(([phase]) => phase in run.failures)) : previous
  const sections = { ...carried, ...run.sections }
  const kept = run.fullRun ? {} : Object.fromEntries(Object.entries(earlier?.failures ?? {}).filter(([phase]) => !(phase in run.sections)))
  const merged = {
    fullRun: run.fullRun ?? earlier?.fullRun ?? null,
    loadChecks: run.loadChecks ?? earlier?.loadChecks ?? null,
    sections,
    failures: { ...kept, ...run.failures },
  }
  return { ...merged, targets: check(merged.sections) }
}

/** Writes `bench/results.json`. */
export function writeResults(results: BenchResults): string {
  writeFileSync(FILE, `${JSON.stringify(results, null, 2)}\n`)
  return FILE
}
