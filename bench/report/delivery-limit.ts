import type { DeliveryRun } from "../orders/deliver-burst"
import type { DeliveryResult } from "../phases/delivery"

/** A store process at or above this share of a core during a burst is bound by it: Node runs a process's JavaScript on one core. */
export const ONE_CORE_BOUND = 0.75

const r2 = (value: number) => Math.round(value * 100) / 100

/** Whether the run's store process was bound by its one core. */
export function coreBound(run: DeliveryRun): boolean {
  return (run.coresBusy?.store ?? 0) >= ONE_CORE_BOUND
}

/**
 * What limited a delivery burst, in measured figures: the store process's CPU share against the one
 * core its JavaScript runs on, CPU per order, first and last order of both providers, and the run
 * with a higher processor `concurrency` when there is one. For the targets' "why not".
 */
export function deliveryLimit(delivery: DeliveryResult): string {
  const { plugin, medusa, pluginConcurrent } = delivery
  const busy = (run: DeliveryRun) => `${r2(run.coresBusy?.store ?? 0)} + ${r2(run.coresBusy?.postgres ?? 0)}`
  const figures =
    `first order ${plugin.firstOrderSeconds} vs ${medusa.firstOrderSeconds} s, last ${plugin.lastOrderSeconds} vs ${medusa.lastOrderSeconds} s; ` +
    `CPU/order ${plugin.cpuMsPerOrder?.total ?? "–"} vs ${medusa.cpuMsPerOrder?.total ?? "–"} ms; cores busy (store + PostgreSQL) ${busy(plugin)} vs ${busy(medusa)}`
  const why =
    coreBound(plugin) && coreBound(medusa)
      ? ": both bursts are bound by the store process's one core (Node runs its JavaScript on one), so a cart waits its turn whichever route took it; " +
        "what would move it is worker processes on cores of their own (this machine has 2, shared with PostgreSQL and the servers), not the route"
      : coreBound(plugin)
        ? ": the plugin's burst is bound by the store process's one core; what would move it is worker processes on cores of their own"
        : ": the store process was not CPU-bound; the processor takes 4 deliveries at a time (`concurrency`) where Medusa's subscriber starts every workflow at once"
  const concurrent = pluginConcurrent
    ? `; with \`concurrency: ${pluginConcurrent.concurrency}\`: ${pluginConcurrent.ordersPerSecond} orders/s, p50 ${r2(pluginConcurrent.deliveryToOrderMs.p50 / 1000)} s, ` +
      `cores busy ${busy(pluginConcurrent)}`
    : ""
  return `${figures}${why}${concurrent}`
}
