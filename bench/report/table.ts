import { ACK_TARGETS } from "../phases/ack"
import { VERIFY_ROUNDS } from "../phases/verify"
import { round } from "../lib/stats"
import type { BenchResults } from "./results"

const pad = (value: string | number, width: number) => String(value).padStart(width)
const padEnd = (value: string | number, width: number) => String(value).padEnd(width)
const fixed = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? "–" : value.toFixed(digits))

/** The ack table: one line per route and concurrency, then the ratios. */
function ackLines(results: BenchResults): string[] {
  const lines = [
    `ACK PATH — ${results.settings.n} distinct signed payment_intent.succeeded measured per route (after a warm-up on the same connections), ` +
      `autocannon in a child process; ${results.settings.ackRounds > 1 ? `plugin and Medusa interleaved in ${results.settings.ackRounds} rounds on one store start, inbox-off on its own start, warmed up and sliced alike` : "store restarted before each run"}` +
      `${results.settings.cpuProfiled ? " (CPU-PROFILED: figures include the profiler's overhead)" : ""}`,
    `${padEnd("route", 46)}${pad("conc", 5)}${pad("req/s", 8)}${pad("p50 ms", 8)}${pad("p95 ms", 8)}${pad("p99 ms", 8)}${pad("max ms", 8)}${pad("non-2xx/err", 12)}${pad("RSS MiB", 9)}${pad("CPU ms/req", 18)}${pad("load", 6)}`,
  ]
  for (const run of results.ack) {
    const failures = run.non2xx + run.errors + run.timeouts
    lines.push(
      `${padEnd(ACK_TARGETS[run.target].label, 46)}${pad(run.concurrency, 5)}${pad(fixed(run.throughput, 0), 8)}${pad(fixed(run.latency.p50), 8)}` +
        `${pad(fixed(run.latency.p95), 8)}${pad(fixed(run.latency.p99), 8)}${pad(fixed(run.latency.max), 8)}${pad(failures, 12)}${pad(fixed(run.rss.processMiB, 0), 9)}` +
        `${pad(`${fixed(run.cpuMsPerRequest.store, 2)} + ${fixed(run.cpuMsPerRequest.postgres, 2)} pg`, 18)}${pad(fixed(run.loadAverage, 1), 6)}`
    )
  }
  for (const ratios of results.ackRatios) {
    lines.push(
      `  @${ratios.concurrency}: plugin/Medusa throughput ${fixed(ratios.throughput, 2)}× (target ≥ 0.9), p99 ${fixed(ratios.p99, 2)}× (target ≤ 1.5);` +
        ` inbox on/off throughput ${fixed(ratios.inboxOnVsOffThroughput, 2)}×, p99 ${fixed(ratios.inboxOnVsOffP99, 2)}×`
    )
  }
  return lines
}

/** The verification table: µs per event and × the bare HMAC, per scheme and body size. */
function verifyLines(results: BenchResults): string[] {
  const lines = ["", `VERIFICATION — µs per event (median of ${VERIFY_ROUNDS} warmed rounds, in-process), × bare crypto HMAC-SHA256 of the same signed content`]
  for (const scheme of ["stripe", "standard-webhooks"] as const) {
    const cases = results.verification.filter((verifyCase) => verifyCase.scheme === scheme)
    lines.push(`${padEnd(scheme === "stripe" ? "Stripe scheme" : "Standard Webhooks (Yoco)", 52)}${cases.map((c) => pad(`${round(c.bodyBytes / 1024, 1)} KB`, 20)).join("")}`)
    for (const [index, row] of (cases[0]?.rows ?? []).entries()) {
      const cells = cases.map((c) => pad(`${fixed(c.rows[index].usPerOp, 1)} (${fixed(c.rows[index].vsHmac, 2)}×)`, 20))
      lines.push(`  ${padEnd(row.name, 50)}${cells.join("")}`)
    }
  }
  return lines
}

/** The hot-path stage profile, when it ran. */
function stageLines(results: BenchResults): string[] {
  if (!results.stages) {
    return []
  }
  const lines = ["", "HOT PATH STAGES — in the store's container (medusa exec, server stopped): µs per call alone, calls/s with 32 in flight"]
  for (const stage of results.stages) {
    lines.push(`  ${padEnd(stage.name, 66)}${pad(fixed(stage.usPerCallAlone, 0), 8)} µs${pad(fixed(stage.callsPerSecondAt32, 0), 8)} /s`)
  }
  return lines
}

/** The webhooks-to-orders summary. */
function orderLines(results: BenchResults): string[] {
  const orders = results.orders
  if (!orders) {
    return ["", "WEBHOOKS TO ORDERS — not run"]
  }
  return [
    "",
    `WEBHOOKS TO ORDERS — ${orders.carts} carts paid at the fake PSP (setup ${orders.cartSetupSeconds} s), ${orders.deliveries} deliveries to stripe_mpw ` +
      `(${orders.duplicatesSent} duplicates, ${orders.outOfOrder} succeeded-before-authorized), Medusa's default in-memory event bus`,
    `  burst acked in ${fixed(orders.burst.durationMs / 1000, 2)} s (p99 ${fixed(orders.burst.latency.p99)} ms, answers ${JSON.stringify(orders.burst.statusCounts)}, ` +
      `${orders.burst.duplicates} answered duplicate); first order ${fixed(orders.firstOrderSeconds, 2)} s, all orders ${fixed(orders.allOrdersSeconds, 2)} s → ${fixed(orders.ordersPerSecond, 1)} orders/s`,
    `  lost ${orders.lost}, double-captured ${orders.doubleCaptured} (PSP captures ${orders.captures.capturedAtPsp}, Medusa captures ${orders.captures.medusaCaptures}); ` +
      `inbox ${JSON.stringify(orders.inbox)}; peak RSS ${fixed(orders.rss.processMiB, 0)} MiB`,
  ]
}

/** The whole printed report. */
export function renderReport(results: BenchResults): string {
  const machine = results.machine
  const lines = [
    `medusa-payment-webhooks benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.node}, ${machine.postgres}; ` +
      `load average ${machine.loadAverage.start} → ${machine.loadAverage.end ?? "?"}; ${fixed(results.totalSeconds, 0)} s in all`,
    "",
    ...ackLines(results),
    ...verifyLines(results),
    ...stageLines(results),
    ...orderLines(results),
    "",
    "TARGETS",
    ...results.targets.map((target) => `  ${target.pass ? "PASS" : "MISS"}  ${padEnd(target.name, 52)} ${pad(fixed(target.value, 3), 9)}  (${target.target})`),
  ]
  return lines.join("\n")
}
