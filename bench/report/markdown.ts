import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { round } from "../lib/stats"
import type { BenchResults } from "./results"

const cell = (value: number | null | undefined, digits = 0) => (value === null || value === undefined || Number.isNaN(value) ? "–" : String(round(value, digits)))

const ROUTE_LABELS = {
  plugin: "this plugin (`stripe_mpw`): verify + record",
  medusa: "`@medusajs/payment-stripe` (`stripe_stripe`): queue only",
  plugin_inbox_off: "this plugin's provider, plugin entry off (Medusa's route)",
} as const

function ackSection(results: BenchResults): string[] {
  const { settings } = results
  const lines = [
    `**Ack path** (${settings.n.toLocaleString("en")} signed \`payment_intent.succeeded\` deliveries per route from autocannon in a separate process, same store; ` +
      `the plugin's and Medusa's runs interleaved in ${settings.ackRounds} rounds after a shared warm-up, the run with the plugin entry off on its own start, warmed up and sliced alike):`,
    "",
    "| route | concurrency | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | CPU ms/request (store + PostgreSQL) | peak RSS MiB |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ]
  for (const run of results.ack) {
    lines.push(
      `| ${ROUTE_LABELS[run.target]} | ${run.concurrency} | ${cell(run.throughput)} | ${cell(run.latency.p50)} | ${cell(run.latency.p95)} | ${cell(run.latency.p99)} | ` +
        `${cell(run.latency.max)} | ${run.non2xx + run.errors + run.timeouts} | ${cell(run.cpuMsPerRequest.store, 2)} + ${cell(run.cpuMsPerRequest.postgres, 2)} | ${cell(run.rss.processMiB)} |`
    )
  }
  lines.push("")
  for (const ratios of results.ackRatios) {
    lines.push(
      `- concurrency ${ratios.concurrency}: plugin ÷ Medusa throughput **${ratios.throughput}×** (target ≥ 0.9), p99 **${ratios.p99}×** (target ≤ 1.5); ` +
        `plugin entry on ÷ off throughput ${ratios.inboxOnVsOffThroughput}×`
    )
  }
  return lines
}

function verifySection(results: BenchResults): string[] {
  const lines = [
    "**Verification** (µs per event, median of rounds, in-process; the plugin's adapter over the Stripe SDK and `standardwebhooks`, information only):",
    "",
    "| scheme | body | bare HMAC (floor) | plugin | library direct |",
    "|---|---|---|---|---|",
  ]
  for (const verifyCase of results.verification) {
    const floor = verifyCase.rows.find((row) => row.role === "floor")
    const plugin = verifyCase.rows.find((row) => row.role === "plugin")
    const library = verifyCase.rows.find((row) => row.role === "library")
    lines.push(
      `| ${verifyCase.scheme} | ${Math.round(verifyCase.bodyBytes / 1024)} KB | ${cell(floor?.usPerOp, 2)} | ${cell(plugin?.usPerOp, 2)} (${cell(plugin?.vsHmac, 2)}×) | ` +
        `${cell(library?.usPerOp, 2)} (${cell(library?.vsHmac, 2)}×) |`
    )
  }
  return lines
}

/** Answers outside 2xx, from a status histogram. */
function nonSuccess(statusCounts: Record<string, number>): number {
  return Object.entries(statusCounts).reduce((sum, [code, count]) => (code.startsWith("2") ? sum : sum + count), 0)
}

function ordersSection(results: BenchResults): string[] {
  const orders = results.orders
  if (!orders) {
    return ["**Webhooks to orders**: not run."]
  }
  return [
    `**Webhooks to orders**: ${orders.carts} carts paid at the fake Stripe, ${orders.deliveries} deliveries in one burst (${orders.duplicatesSent} duplicates, ` +
      `${orders.outOfOrder} out of order): the first order after ${cell(orders.firstOrderSeconds, 2)} s, every cart an order after ${cell(orders.allOrdersSeconds, 2)} s ` +
      `(${cell(orders.ordersPerSecond, 1)} orders/s; the processor's 2 s delay included, 4 at a time), **lost ${orders.lost}, double-captured ${orders.doubleCaptured}**, burst non-2xx ${nonSuccess(orders.burst.statusCounts) + orders.burst.errors}, ` +
      `peak RSS ${cell(orders.rss.processMiB)} MiB.`,
  ]
}

/** The README's benchmark block: the machine, then the ack, verification and orders tables of this run. */
export function renderMarkdown(results: BenchResults): string {
  const { machine } = results
  const started = results.startedAt.replace("T", " ").slice(0, 16)
  return [
    `Run on ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}, ${machine.postgres}; ` +
      `${started} UTC, ${results.totalSeconds} s in all. Ratios are against the baseline measured in the same run.`,
    "",
    ...ackSection(results),
    "",
    ...verifySection(results),
    "",
    ...ordersSection(results),
    "",
  ].join("\n")
}

/** Writes bench/results.md, the block the README shows. */
export function writeMarkdown(results: BenchResults): string {
  const file = join(__dirname, "..", "results.md")
  writeFileSync(file, renderMarkdown(results))
  return file
}
