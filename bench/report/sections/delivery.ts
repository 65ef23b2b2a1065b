import type { DeliveryRun } from "../../orders/deliver-burst"
import { DELIVERY_ROUTES, type DeliveryResult } from "../../phases/delivery"
import { nonSuccess } from "../targets"
import type { Section } from "../results"
import { cell, measuredOn, times } from "./common"
import { orderStepsLines } from "./order-steps"

function row(label: string, run: DeliveryRun): string {
  const latency = run.deliveryToOrderMs
  return (
    `| ${label} | ${run.orders}/${run.carts} | ${cell(latency.p50 / 1000, 2)} | ${cell(latency.p95 / 1000, 2)} | ${cell(latency.p99 / 1000, 2)} | ${cell(latency.max / 1000, 2)} | ` +
    `${cell(run.firstOrderSeconds, 2)} | ${cell(run.lastOrderSeconds, 2)} | ${cell(run.ordersPerSecond, 2)} | ${cell(run.cpuMsPerOrder?.store)} + ${cell(run.cpuMsPerOrder?.postgres)} | ` +
    `${cell(run.coresBusy?.store, 2)} + ${cell(run.coresBusy?.postgres, 2)} | ` +
    `**${run.lost}** | **${run.doubleCaptured}** | ${nonSuccess(run.burst.statusCounts) + run.burst.errors} |`
  )
}

/** Delivery to order: the same burst to this plugin's route and to Medusa's provider on its built-in route. */
export function deliverySection(section: Section<DeliveryResult>): string[] {
  const { result } = section
  const { plugin, medusa, ratios } = result
  return [
    `**Delivery to order, against Medusa's own provider** (${result.carts} carts per provider paid at the fake Stripe; ${plugin.deliveries} deliveries each in one burst, ` +
      `${plugin.duplicatesSent} duplicates and ${plugin.outOfOrder} \`succeeded\` sent before \`amount_capturable_updated\`, ${result.shape.concurrency} in flight; ` +
      "one store start, default settings: Medusa's in-memory event bus, whose route runs its subscriber 5 s after each delivery, and the plugin's processor 2 s after, 4 at a time" +
      (result.warmupCarts
        ? `; each route first took an uncounted ${result.warmupCarts}-cart burst, then ${result.first === "medusa" ? "Medusa's" : "the plugin's"} measured burst went first`
        : "") +
      "). " +
      "Latency is per cart, from its first delivery to its order's `created_at`; times are from the burst's start; CPU is store + PostgreSQL from the burst to 6 s after the last order, per order.",
    measuredOn(section),
    "",
    "| route | orders | p50 s | p95 s | p99 s | max s | first order s | last order s | orders/s | CPU ms/order (store + PostgreSQL) | cores busy (store + PostgreSQL) | lost | double-captured | burst non-2xx |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    row(DELIVERY_ROUTES.plugin.label, plugin),
    row(DELIVERY_ROUTES.medusa.label, medusa),
    ...(result.pluginConcurrent
      ? [
          row(
            `this plugin, processor \`concurrency: ${result.pluginConcurrent.concurrency}\` (its own store start; information)`,
            result.pluginConcurrent,
          ),
        ]
      : []),
    "",
    `- plugin ÷ Medusa: orders/s ${times(ratios.ordersPerSecond)} (target ≥ 1.0), p50 delivery→order ${times(ratios.p50)} (target < 1.0), ` +
      `p99 ${cell(ratios.p99, 2)}×, last order ${cell(ratios.lastOrder, 2)}×, CPU per order ${cell(ratios.cpuPerOrder, 2)}×; ` +
      `captures at the PSP ${plugin.captures.capturedAtPsp} vs ${medusa.captures.capturedAtPsp}.`,
    ...(result.pluginConcurrent
      ? [
          `- with \`concurrency: ${result.pluginConcurrent.concurrency}\` ÷ Medusa: orders/s ${cell((result.pluginConcurrent.ordersPerSecond ?? 0) / (medusa.ordersPerSecond ?? 1), 2)}×, ` +
            `p50 ${cell(result.pluginConcurrent.deliveryToOrderMs.p50 / medusa.deliveryToOrderMs.p50, 2)}×.`,
        ]
      : []),
    ...(result.orderSteps ? orderStepsLines(result.orderSteps) : []),
  ]
}
