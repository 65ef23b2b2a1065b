import { ADMIN_READS, DASHBOARD_READS } from "../phases/admin-reads"
import type { InboxResult } from "../phases/inbox"
import type { MaintenanceResult } from "../phases/maintenance"
import { check, r2, type TargetCheck } from "./check"
import type { BenchResults } from "./results"

/** The admin's reads at a million rows: p99 under this, in ms. */
export const ADMIN_READ_P99_MS = 100

/** The edge's p99 while retention runs, ÷ just before: at most this. */
export const MAINTENANCE_P99_RATIO = 1.2

/** Rows a retention run took (runs before the field was written counted only the rows gone). */
export function rowsTaken(run: MaintenanceResult): number {
  return run.output?.rows ?? (run.eligibleBefore ?? 0) - (run.eligibleAfter ?? 0)
}

/** What the edge did while a retention method ran, and what it ran, in measured figures. */
export function maintenanceText(run: MaintenanceResult): string {
  const { before, duringLoad, ratios, output, pacing, steady } = run
  const work = output
    ? `${rowsTaken(run).toLocaleString("en")} rows in ${output.seconds} s over ${output.calls} call(s)` +
      (pacing ? `, batches of ${pacing.batchSize} each followed by a rest ${pacing.restRatio}× as long` : "")
    : `did not finish: ${run.error ?? "no result"}`
  const flat =
    `p99 ${r2(duringLoad.latency.p99)} vs ${r2(before.latency.p99)} ms, p50 ${r2(ratios.p50)}×, throughput ${r2(ratios.throughput)}× ` +
    `(${duringLoad.requests.toLocaleString("en")} requests during, ${before.requests.toLocaleString("en")} before)`
  if (!steady) {
    return `${flat}; ${work}`
  }
  return (
    `at ${steady.rate} req/s: p99 ${r2(steady.duringLoad.latency.p99)} vs ${r2(steady.before.latency.p99)} ms, p50 ${r2(steady.ratios.p50)}× ` +
    `(${steady.duringLoad.requests.toLocaleString("en")} requests during, ${steady.before.requests.toLocaleString("en")} before); ` +
    `flat out, ${r2(ratios.p99)}×: ${flat}; ${work}`
  )
}

/** The p99 ratio the goal is judged on: at a steady rate the edge can carry, where measured; else flat out (earlier runs). */
export function maintenanceP99Ratio(run: MaintenanceResult): number {
  return run.steady?.ratios.p99 ?? run.ratios.p99
}

function maintenanceTarget(name: string, run: MaintenanceResult | null | undefined): TargetCheck[] {
  if (!run) {
    return []
  }
  const judged = maintenanceP99Ratio(run)
  return [
    check(
      `inbox growth: edge p99 during the ${name} ÷ before${run.steady ? ", at half the edge's capacity" : ""}`,
      judged,
      `≤ ${MAINTENANCE_P99_RATIO}`,
      judged <= MAINTENANCE_P99_RATIO && !run.error,
      () => maintenanceText(run),
    ),
  ]
}

function adminTargets(inbox: InboxResult): TargetCheck[] {
  const last = inbox.levels[inbox.levels.length - 1]
  const empty = inbox.levels[0]
  const admin = last?.admin
  if (!admin || inbox.levels.length < 2) {
    return []
  }
  const targets = DASHBOARD_READS.map((key) => {
    const read = admin.reads[key]
    const base = empty.admin?.reads[key]
    return check(
      `inbox @ ${last.rows.toLocaleString("en")} rows: admin ${ADMIN_READS[key].label} p99 (ms)`,
      read.p99,
      `< ${ADMIN_READ_P99_MS}`,
      read.p99 < ADMIN_READ_P99_MS,
      () =>
        `p50 ${read.p50} ms, p99 ${read.p99} ms, max ${read.max} ms over ${read.requests} requests; on the emptied table p99 ${base?.p99 ?? "–"} ms ` +
        `(${r2(read.vsEmpty.p99)}×)` +
        (key === "orderUncached" ? `; the same view with the PSP's answer kept: p99 ${admin.reads.orderCached.p99} ms` : ""),
    )
  })
  const failures = inbox.levels.reduce((sum, level) => {
    const reads = level.admin ? Object.values(level.admin.reads).reduce((total, read) => total + read.failures, 0) : 0
    return sum + reads + (level.admin?.psp.errors ?? 0)
  }, 0)
  targets.push(
    check("inbox growth: admin reads non-2xx + order views without the PSP's view (all sizes)", failures, "0", failures === 0, () =>
      inbox.levels.map((level) => `${level.rows}: ${JSON.stringify(level.admin?.psp ?? null)}`).join("; "),
    ),
  )
  return targets
}

/** The inbox phase's targets: the edge's errors, the admin's reads at the largest size, the edge while retention runs. */
export function inboxTargets(sections: BenchResults["sections"]): TargetCheck[] {
  const inbox = sections.inbox?.result
  if (!inbox) {
    return []
  }
  const failures =
    inbox.levels.reduce((sum, level) => sum + level.failures, 0) +
    (inbox.prune?.duringLoad.failures ?? 0) +
    (inbox.prune?.steady?.duringLoad.failures ?? 0) +
    (inbox.bodyDrop?.duringLoad.failures ?? 0) +
    (inbox.bodyDrop?.steady?.duringLoad.failures ?? 0)
  return [
    check(
      "inbox growth: ack non-2xx + errors at every size and during the maintenance",
      failures,
      "0",
      failures === 0,
      () => "see the inbox table",
    ),
    ...adminTargets(inbox),
    ...maintenanceTarget("raw-body drop", inbox.bodyDrop),
    ...maintenanceTarget("prune", inbox.prune),
  ]
}
