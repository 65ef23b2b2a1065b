import type { AckResult } from "../../phases/ack-phase"
import type { Section } from "../results"
import { cell, measuredOn, times } from "./common"

const ROUTE_LABELS = {
  plugin: "this plugin (`stripe_mpw`): verify + record",
  medusa: "`@medusajs/payment-stripe` (`stripe_stripe`): queue only",
  medusa_inbox: "`@medusajs/payment-stripe` through the inbox (`stripe_inboxed`): its own verification + record",
  plugin_inbox_off: "this plugin's provider, plugin entry off (Medusa's route)",
} as const

/** The acknowledgement: every run, then the ratios per concurrency. */
export function ackSection(section: Section<AckResult>): string[] {
  const { settings, result } = section
  const lines = [
    `**Acknowledgement** (${Number(settings.n).toLocaleString("en")} signed \`payment_intent.succeeded\` deliveries per route from autocannon in a separate process, same store; ` +
      `the plugin's and Medusa's runs interleaved in ${settings.rounds} rounds after a shared warm-up, the run with the plugin entry off on its own start, warmed up and sliced alike). ` +
      "CPU is the store's processes and the PostgreSQL backends of its database, read from `/proc`, per request.",
    measuredOn(section),
    "",
    "| route | concurrency | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | CPU ms/request (store + PostgreSQL) | peak RSS MiB |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ]
  for (const run of result.runs) {
    lines.push(
      `| ${ROUTE_LABELS[run.target]} | ${run.concurrency} | ${cell(run.throughput)} | ${cell(run.latency.p50)} | ${cell(run.latency.p95)} | ${cell(run.latency.p99)} | ` +
        `${cell(run.latency.max)} | ${run.non2xx + run.errors + run.timeouts} | ${cell(run.cpuMsPerRequest.store, 2)} + ${cell(run.cpuMsPerRequest.postgres, 2)} | ${cell(run.rss.processMiB)} |`,
    )
  }
  lines.push("")
  for (const ratios of result.ratios) {
    lines.push(
      `- concurrency ${ratios.concurrency}: plugin ÷ Medusa throughput ${times(ratios.throughput)} (target ≥ 1.0), p99 ${times(ratios.p99)} (target ≤ 1.5), ` +
        `CPU per request plugin − Medusa **${ratios.cpuMsPerRequestDelta >= 0 ? "+" : ""}${cell(ratios.cpuMsPerRequestDelta, 2)} ms** (target ≤ +0.1); ` +
        `plugin entry on ÷ off throughput ${cell(ratios.inboxOnVsOffThroughput, 2)}×; ` +
        `Medusa's own provider through the inbox ÷ on Medusa's route: throughput ${times(ratios.medusaInboxThroughput)} (target ≥ 0.9), p99 ${times(ratios.medusaInboxP99)}`,
    )
  }
  return lines
}
