import { DEFAULT_JOB_INTERVAL_MS } from "../../../src/webhooks/health/job-schedule"
import { ADMIN_READS, DASHBOARD_READS } from "../../phases/admin-reads"
import type { InboxResult } from "../../phases/inbox"
import type { MaintenanceResult } from "../../phases/maintenance"
import type { BenchResults } from "../results"
import { coreBound } from "../delivery-limit"
import { rowsTaken } from "../inbox-targets"
import { cell } from "./common"

/** Per-core capacity from a CPU cost in ms: how many a core could do per second, were it that work alone. */
const perCore = (ms: number | null | undefined) => (ms && ms > 0 ? Math.round(1000 / ms) : null)

/** Rows a retention method took per second over its whole run (its rests included), if it finished. */
const rate = (run: MaintenanceResult | null | undefined) =>
  run?.output && !run.error && run.output.seconds > 0 ? rowsTaken(run) / run.output.seconds : null

/**
 * What a large inbox costs the admin and the job: the dashboard's slowest read and the job's pass at
 * the largest size against the emptied table, and how many deliveries a day retention keeps up with at
 * its paced defaults (each method's rate over its whole run × its budget per pass × passes a day).
 */
function largeInbox(inbox: InboxResult | undefined): string[] {
  const last = inbox?.levels[inbox.levels.length - 1]
  const reads = last?.admin?.reads
  if (!inbox || !last || !reads || inbox.levels.length < 2) {
    return []
  }
  const slowest = DASHBOARD_READS.reduce((worst, key) => (reads[key].p99 > reads[worst].p99 ? key : worst), DASHBOARD_READS[0])
  const rates = [rate(inbox.bodyDrop), rate(inbox.prune)].filter((value): value is number => value !== null)
  const budgetMs = inbox.prune?.pacing?.budgetMs ?? null
  const perDay = rates.length && budgetMs ? Math.min(...rates) * (budgetMs / 1000) * ((24 * 3600_000) / DEFAULT_JOB_INTERVAL_MS) : null
  return [
    `- **What a large inbox costs the admin and the job** (at ${last.rows.toLocaleString("en")} rows): the dashboard's slowest read, ${ADMIN_READS[slowest].label}, ` +
      `p99 ${cell(reads[slowest].p99, 1)} ms (${cell(reads[slowest].vsEmpty.p99, 2)}× the emptied table's); the job's pass ${cell(last.jobPass?.passMs, 1)} ms ` +
      `(${cell(last.jobPassVsEmpty, 2)}×)` +
      (perDay
        ? `; retention at the plugin's paced defaults dropped ${cell(rate(inbox.bodyDrop))} bodies/s and pruned ${cell(rate(inbox.prune))} rows/s, rests included, ` +
          `so passes of ${budgetMs ? budgetMs / 1000 : "–"} s per method every ${DEFAULT_JOB_INTERVAL_MS / 1000} s keep up with about **${cell(perDay / 1e6, 1)} million deliveries a day**.`
        : "."),
  ]
}

/**
 * The cost model, computed from this run's CPU figures only: acks per second per server core,
 * orders per second per worker core, PostgreSQL's share of each, and what limits first.
 */
export function costModelSection(sections: BenchResults["sections"]): string[] {
  const lines: string[] = []
  const split = sections.topology?.result.split
  const ack32 = sections.ack?.result.runs.find((run) => run.target === "plugin" && run.concurrency === 32)
  if (split) {
    const serverAck = split.ack.cpuMsPerAck.servers
    const pgAck = split.ack.cpuMsPerAck.postgres
    const workerOrder = split.orders.cpuMsPerOrderByKind?.worker
    const pgOrder = split.orders.cpuMsPerOrder?.postgres
    lines.push(
      `- **Per server core** (two servers and a worker on Redis): an ack costs the servers ${cell(serverAck, 2)} ms of CPU, so about **${cell(perCore(serverAck))} acks/s per server core**` +
        (ack32
          ? `; with the in-memory modules in one process, ${cell(ack32.cpuMsPerRequest.store, 2)} ms, about ${cell(perCore(ack32.cpuMsPerRequest.store))} acks/s per core.`
          : "."),
      `- **Per worker core**: an order costs the worker ${cell(workerOrder)} ms of CPU (the servers ${cell(split.orders.cpuMsPerOrderByKind?.servers, 1)} ms), so about ` +
        `**${cell(workerOrder ? 1000 / workerOrder : null, 1)} orders/s per worker core**; a delivery that changes nothing (a session the store does not have) costs it ${cell(split.ack.cpuMsPerAck.worker, 2)} ms, ` +
        `about ${cell(perCore(split.ack.cpuMsPerAck.worker))}/s per worker core.`,
      `- **PostgreSQL**: ${cell(pgOrder, 1)} ms per order (about ${cell(pgOrder ? 1000 / pgOrder : null, 1)} orders/s per database core) and ${cell(pgAck, 2)} ms per ack with its follow-up` +
        (ack32
          ? ` (${cell(ack32.cpuMsPerRequest.postgres, 3)} ms for the ack's insert alone, about ${cell(perCore(ack32.cpuMsPerRequest.postgres))} inserts/s per core).`
          : "."),
    )
  }
  const delivery = sections.delivery?.result
  if (delivery) {
    const plugin = delivery.plugin
    const storeBusy = plugin.coresBusy?.store ?? null
    const concurrent = delivery.pluginConcurrent
    lines.push(
      `- **What limits orders first**: during the ${delivery.carts}-cart burst the one store process kept ${cell(storeBusy, 2)} of a core busy and PostgreSQL ` +
        `${cell(plugin.coresBusy?.postgres, 2)}, at ${cell(plugin.ordersPerSecond, 2)} orders/s × ${cell(plugin.cpuMsPerOrder?.store)} ms of the store's CPU per order` +
        (coreBound(plugin)
          ? ": the process's one core (Node runs its JavaScript on one) is the limit, long before PostgreSQL's"
          : `: below one core, so the process waits more than it computes (4 deliveries at a time, about ${cell(plugin.ordersPerSecond ? 4 / plugin.ordersPerSecond : null, 2)} s each in the processor)`) +
        (concurrent
          ? `; with \`concurrency: ${concurrent.concurrency}\` the same burst made ${cell(concurrent.ordersPerSecond, 2)} orders/s at ${cell(concurrent.cpuMsPerOrder?.store)} ms per order, ` +
            `so more deliveries at a time do not move it${coreBound(plugin) ? "; worker processes on cores of their own would" : ""}.`
          : "."),
    )
  }
  const inbox = sections.inbox?.result
  if (inbox && inbox.levels.length > 1) {
    const last = inbox.levels[inbox.levels.length - 1]
    lines.push(
      `- **What limits acks first**: the server's CPU, not PostgreSQL's inserts nor the inbox's size` +
        (ack32
          ? ` (per ack at concurrency 32: the store ${cell(ack32.cpuMsPerRequest.store, 2)} ms, PostgreSQL ${cell(ack32.cpuMsPerRequest.postgres, 3)} ms)`
          : "") +
        `: at ${last.rows.toLocaleString("en")} rows the insert took ` +
        `${cell(last.insert.noFlush?.p50, 2)} ms without the commit's flush (${cell(last.vsEmpty.insertP50, 2)}× the empty table's) and ${cell(last.insert.p50, 2)} ms with it, ` +
        `and the plugin's acks/s were ${cell(last.vsEmpty.throughput, 2)}× those on the empty table.`,
    )
  }
  lines.push(...largeInbox(inbox))
  return lines.length
    ? ["**Cost model** (computed from this block's CPU figures; a core's capacity is 1000 ÷ its CPU ms per unit of work):", "", ...lines]
    : []
}
