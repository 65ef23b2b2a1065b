import { ADMIN_READS, DASHBOARD_READS, type AdminReadKey, type ReadFigures } from "../../phases/admin-reads"
import type { InboxLevel, InboxResult } from "../../phases/inbox"
import type { MaintenanceResult } from "../../phases/maintenance"
import { ADMIN_READ_P99_MS, MAINTENANCE_P99_RATIO, rowsTaken } from "../inbox-targets"
import type { Section } from "../results"
import { cell, times } from "./common"

const READ_KEYS = Object.keys(ADMIN_READS) as AdminReadKey[]

/** `p50 / p99`, and the p99 ÷ the emptied table's past the first size. */
function readCell(read: ReadFigures | undefined, first: boolean): string {
  if (!read) {
    return "–"
  }
  return `${cell(read.p50, 1)} / ${cell(read.p99, 1)}${first ? "" : ` (${cell(read.vsEmpty.p99, 2)}×)`}`
}

function adminTable(result: InboxResult, levels: InboxLevel[]): string[] {
  const admin = result.admin
  const lines = [
    "",
    `**The admin's reads as the inbox grows** (at each size of the table above, after its acks: each read ${admin?.requests ?? "–"} times, one after another after 5 warm-ups, ` +
      "through the store's HTTP API as an admin user signed in with Medusa's login (a bearer token, as the dashboard's session), timed to the answer's last byte; " +
      `the order views are of ${admin?.ordersPlaced ?? "–"} orders paid with the plugin's provider through its webhooks (each with its deliveries in the inbox): ` +
      "*PSP cached* reads one order again within the 45 s a PSP's answer stands, " +
      `*PSP asked* reads ${admin?.uncachedPerSize ?? "–"} other orders once each, so the PSP (the loopback fake Stripe, its answer included) is asked every time; ` +
      "both are checked from each answer's `psp_read_at`. The last column is the list with a secret API key instead of the login: Medusa checks such a key with scrypt on every request. " +
      "Cells: p50 / p99 ms, and p99 ÷ the emptied table's):",
    "",
    `| rows in the inbox | ${READ_KEYS.map((key) => ADMIN_READS[key].label).join(" | ")} | non-2xx |`,
    `|---|${READ_KEYS.map(() => "---|").join("")}---|`,
  ]
  levels.forEach((level, index) => {
    const reads = level.admin?.reads
    const failures = reads ? Object.values(reads).reduce((sum, read) => sum + read.failures, 0) : 0
    lines.push(
      `| ${level.rows.toLocaleString("en")} | ${READ_KEYS.map((key) => readCell(reads?.[key], index === 0)).join(" | ")} | ${failures} |`,
    )
  })
  const last = levels[levels.length - 1]
  const reads = last.admin?.reads
  if (reads && levels.length > 1) {
    const over = DASHBOARD_READS.filter((key) => reads[key].p99 >= ADMIN_READ_P99_MS)
    const worst = DASHBOARD_READS.reduce((slowest, key) => (reads[key].p99 > reads[slowest].p99 ? key : slowest), DASHBOARD_READS[0])
    lines.push(
      "",
      `- Goal, every dashboard read's p99 under ${ADMIN_READ_P99_MS} ms at ${last.rows.toLocaleString("en")} rows: ` +
        (over.length
          ? `**not met** by ${over.map((key) => `${ADMIN_READS[key].label} (${cell(reads[key].p99, 1)} ms)`).join(", ")}.`
          : `**met** (the slowest, ${ADMIN_READS[worst].label}: ${cell(reads[worst].p99, 1)} ms, ${cell(reads[worst].vsEmpty.p99, 2)}× the emptied table's).`),
    )
  }
  const misses = levels.reduce(
    (sum, level) => ({
      fresh: sum.fresh + (level.admin?.psp.freshInCached ?? 0),
      cached: sum.cached + (level.admin?.psp.cachedInUncached ?? 0),
      errors: sum.errors + (level.admin?.psp.errors ?? 0),
    }),
    { fresh: 0, cached: 0, errors: 0 },
  )
  lines.push(
    `- Order views checked from \`psp_read_at\` (all sizes): ${misses.fresh} *PSP cached* reads were answered by the PSP, ` +
      `${misses.cached} *PSP asked* reads from a kept answer, ${misses.errors} without the PSP's view.`,
  )
  return lines
}

function jobTable(levels: InboxLevel[]): string[] {
  const first = levels.find((level) => level.jobPass)?.jobPass
  const lines = [
    "",
    "**The job's pass as the inbox grows** (`redrivePaymentWebhooksWorkflow` from the installed package, as the scheduled job runs it: re-drive, retention, " +
      "reconciliation, a stale bulk replay; in a `medusa exec` process of the store beside its idle server, with the retention ages set past the filled rows' oldest " +
      `(${first?.retentionDays ?? "–"} days): what a pass finds on a store whose job keeps up, nothing to drop or prune, and the fill is left as it is; ` +
      `median of ${first?.passes ?? "–"} passes after a warm-up one; then the inbox's own calls of a pass, each timed alone, median in ms):`,
    "",
    "| rows in the inbox | pass ms (slowest) | ÷ empty | due deliveries | raw-body drop | prune | reconciliation checks | forgeries | health figures |",
    "|---|---|---|---|---|---|---|---|---|",
  ]
  for (const level of levels) {
    const pass = level.jobPass
    const parts = pass?.partsMs
    lines.push(
      pass?.error
        ? `| ${level.rows.toLocaleString("en")} | failed: ${pass.error.slice(0, 200)} | | | | | | | |`
        : `| ${level.rows.toLocaleString("en")} | ${cell(pass?.passMs, 1)} (${cell(pass?.maxPassMs, 1)}) | ${cell(level.jobPassVsEmpty, 2)}× | ` +
            `${cell(parts?.dueDeliveryIds, 2)} | ${cell(parts?.dropOldRawBodies, 2)} | ${cell(parts?.pruneSettled, 2)} | ${cell(parts?.pruneReconciliationChecks, 2)} | ` +
            `${cell(parts?.pruneForgeries, 2)} | ${cell(parts?.inboxFigures, 2)} |`,
    )
  }
  return lines
}

/** One retention method's line: its work, and the edge while it ran against just before, with the goal. */
function maintenanceLine(what: string, call: string, run: MaintenanceResult): string {
  const { output, pacing, ratios, before, duringLoad } = run
  const asked = pacing
    ? `\`${call}\` with the plugin's defaults (batches of ${pacing.batchSize}, up to ${pacing.budgetMs / 1000} s a call, each batch followed by a rest ${pacing.restRatio}× as long)`
    : `\`${call.replace("()", `({ batchSize: ${run.input.batchSize ?? "?"} })`)}\``
  const rows = rowsTaken(run)
  const counted =
    run.eligibleBefore !== null && run.eligibleAfter !== null
      ? `${(run.eligibleBefore - run.eligibleAfter).toLocaleString("en")} rows gone, ${run.eligibleAfter.toLocaleString("en")} left`
      : `${rows.toLocaleString("en")} rows`
  const work =
    run.error || !output
      ? `**did not finish** (${run.error ?? "no result"})`
      : `**${cell(output.seconds, 1)} s** (${counted}, over ${output.calls} call(s) of ${asked}; ${cell(rows / output.seconds)} rows/s)`
  const goal = (ratio: number) => `goal ≤ ${MAINTENANCE_P99_RATIO}×: ${ratio <= MAINTENANCE_P99_RATIO ? "met" : "**not met**"}`
  const flat =
    `p99 ${times(ratios.p99)} (${cell(duringLoad.latency.p99)} vs ${cell(before.latency.p99)} ms${run.steady ? "" : `; ${goal(ratios.p99)}`}), ` +
    `p50 ${cell(ratios.p50, 2)}×, throughput ${cell(ratios.throughput, 2)}×; non-2xx ${duringLoad.failures}`
  if (!run.steady) {
    return `- ${what}: ${work}. The edge while it ran (plugin's route, concurrency 32, ${duringLoad.requests.toLocaleString("en")} requests over ${duringLoad.seconds} s) ÷ just before: ${flat}.`
  }
  const { steady } = run
  return (
    `- ${what}: ${work}. The edge while it ran (plugin's route, 32 connections) ÷ just before, at a steady ${steady.rate} req/s ` +
    `(half what it answered flat out; ${steady.duringLoad.requests.toLocaleString("en")} requests): p99 ${times(steady.ratios.p99)} ` +
    `(${cell(steady.duringLoad.latency.p99)} vs ${cell(steady.before.latency.p99)} ms; ${goal(steady.ratios.p99)}), p50 ${cell(steady.ratios.p50, 2)}×, ` +
    `non-2xx ${steady.duringLoad.failures}; flat out (${duringLoad.requests.toLocaleString("en")} requests): ${flat}.`
  )
}

/** The admin's reads and the job's pass at each size, then retention of the filled rows with the edge under load. */
export function inboxAdminSection(section: Section<InboxResult>): string[] {
  const { result } = section
  const levels = result.levels.filter((level) => level.admin || level.jobPass)
  const lines = levels.length ? [...adminTable(result, levels), ...jobTable(levels)] : []
  const maintenance = [
    result.bodyDrop &&
      maintenanceLine(
        `Raw-body drop of the filled rows (settled more than ${result.bodyDrop.input.olderThanDays} days ago)`,
        "dropOldRawBodies()",
        result.bodyDrop,
      ),
    result.prune &&
      maintenanceLine(
        `${result.bodyDrop ? "Then the" : "The"} retention prune of ${result.prune.eligibleBefore?.toLocaleString("en") ?? "the"} settled rows older than ${result.prune.input.olderThanDays} days`,
        "pruneSettled()",
        result.prune,
      ),
  ].filter((line): line is string => !!line)
  if (maintenance.length) {
    lines.push(
      "",
      "**Retention of the filled rows**, each method called until it takes nothing, from a `medusa exec` process while acks keep coming:",
      "",
      ...maintenance,
    )
  }
  return lines
}
