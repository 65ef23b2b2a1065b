import type { AckMeasurement } from "../phases/ack"
import { check, r2, type TargetCheck } from "./check"
import { deliveryLimit } from "./delivery-limit"
import { inboxTargets } from "./inbox-targets"
import type { BenchResults } from "./results"

/** Answers outside 2xx, from a status histogram. */
export function nonSuccess(statusCounts: Record<string, number>): number {
  return Object.entries(statusCounts).reduce((sum, [code, count]) => (code.startsWith("2") ? sum : sum + count), 0)
}

function cpuOf(run: AckMeasurement): number {
  return run.cpuMsPerRequest.store + run.cpuMsPerRequest.postgres
}

function cpuText(run: AckMeasurement): string {
  return `${r2(run.cpuMsPerRequest.store)} + ${r2(run.cpuMsPerRequest.postgres)} ms`
}

function ackTargets(sections: BenchResults["sections"]): TargetCheck[] {
  const ack = sections.ack?.result
  if (!ack) {
    return []
  }
  const targets: TargetCheck[] = []
  for (const ratios of ack.ratios) {
    const plugin = ack.runs.find((run) => run.target === "plugin" && run.concurrency === ratios.concurrency)!
    const medusa = ack.runs.find((run) => run.target === "medusa" && run.concurrency === ratios.concurrency)!
    const cpu = `CPU/request (store + PostgreSQL) plugin ${cpuText(plugin)} vs Medusa ${cpuText(medusa)}`
    const load = `machine load average ${plugin.loadAverage} at the start`
    targets.push(
      check(
        `ack throughput plugin ÷ Medusa @${ratios.concurrency}`,
        ratios.throughput,
        "≥ 1.0",
        ratios.throughput >= 1.0,
        () =>
          `${Math.round(plugin.throughput)} vs ${Math.round(medusa.throughput)} req/s, ${load}; ${cpu}: the plugin does ${r2(ratios.cpuMsPerRequestDelta)} ms more per request ` +
          `(${Math.round((ratios.cpuMsPerRequestDelta / cpuOf(medusa)) * 100)} % of Medusa's), its insert; what moves it is the insert's cost`,
      ),
    )
    targets.push(
      check(
        `ack CPU/request plugin − Medusa @${ratios.concurrency} (ms)`,
        ratios.cpuMsPerRequestDelta,
        "≤ +0.1",
        ratios.cpuMsPerRequestDelta <= 0.1,
        () =>
          `${cpu}, ${load}: PostgreSQL's part is the inbox insert (Medusa's route writes nothing); the store's part is verification and the insert's round trip, ` +
          "within the spread of the store's own figure between routes that do the same work (plugin entry off vs Medusa)",
      ),
    )
    targets.push(
      check(
        `ack p99 plugin ÷ Medusa @${ratios.concurrency}`,
        ratios.p99,
        "≤ 1.5",
        ratios.p99 <= 1.5,
        () =>
          `p99 ${r2(plugin.latency.p99)} vs ${r2(medusa.latency.p99)} ms (p50 ${r2(plugin.latency.p50)} vs ${r2(medusa.latency.p50)} ms)`,
      ),
    )
    const inboxed = ack.runs.find((run) => run.target === "medusa_inbox" && run.concurrency === ratios.concurrency)
    if (inboxed) {
      targets.push(
        check(
          `ack throughput Medusa's provider through the inbox ÷ on Medusa's route @${ratios.concurrency}`,
          ratios.medusaInboxThroughput,
          "≥ 0.9",
          ratios.medusaInboxThroughput >= 0.9,
          () =>
            `${Math.round(inboxed.throughput)} vs ${Math.round(medusa.throughput)} req/s; CPU/request ${cpuText(inboxed)} vs ${cpuText(medusa)}: ` +
            "the inbox calls the provider's own verification at the edge (Medusa's route defers it) and records the delivery before answering",
        ),
      )
    }
  }
  const errors = ack.runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0)
  targets.push(check("ack non-2xx + errors (all runs)", errors, "0", errors === 0, () => "see the ack table's non-2xx column"))
  const unrecorded = ack.runs
    .filter((run) => run.target === "plugin" || run.target === "medusa_inbox")
    .reduce((sum, run) => sum + Math.abs(run.ok2xx - (run.recorded?.received ?? 0)), 0)
  targets.push(
    check(
      "plugin ack: acknowledged but not recorded",
      unrecorded,
      "0",
      unrecorded === 0,
      () => "acknowledged deliveries without an inbox row",
    ),
  )
  return targets
}

function deliveryTargets(sections: BenchResults["sections"]): TargetCheck[] {
  const delivery = sections.delivery?.result
  if (!delivery) {
    return []
  }
  const { plugin, medusa, ratios } = delivery
  const timing = deliveryLimit(delivery)
  return [
    check("delivery→order orders/s plugin ÷ Medusa", ratios.ordersPerSecond, "≥ 1.0", ratios.ordersPerSecond >= 1.0, () => timing),
    check(
      "delivery→order p50 plugin ÷ Medusa",
      ratios.p50,
      "< 1.0",
      ratios.p50 < 1.0,
      () => `p50 ${r2(plugin.deliveryToOrderMs.p50 / 1000)} vs ${r2(medusa.deliveryToOrderMs.p50 / 1000)} s; ${timing}`,
    ),
    check(
      "delivery→order: plugin's lost carts",
      plugin.lost,
      "0",
      plugin.lost === 0,
      () => `${plugin.lost} of ${plugin.carts} carts without an order`,
    ),
    check("delivery→order: plugin's double-captured carts", plugin.doubleCaptured, "0", plugin.doubleCaptured === 0, () =>
      JSON.stringify(plugin.captures),
    ),
    check(
      "delivery→order: plugin's burst non-2xx + errors",
      nonSuccess(plugin.burst.statusCounts) + plugin.burst.errors,
      "0",
      nonSuccess(plugin.burst.statusCounts) + plugin.burst.errors === 0,
      () => JSON.stringify(plugin.burst.statusCounts),
    ),
  ]
}

/** The targets, checked against the sections present. */
export function checkTargets(sections: BenchResults["sections"]): TargetCheck[] {
  return [...ackTargets(sections), ...deliveryTargets(sections), ...inboxTargets(sections)]
}
