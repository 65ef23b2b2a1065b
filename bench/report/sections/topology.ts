import type { TopologyResult, TopologyRun } from "../../phases/topology"
import type { Section } from "../results"
import { cell, measuredOn, times } from "./common"

const kindText = (values: Record<string, number> | null | undefined, digits: number) =>
  Object.entries(values ?? {})
    .map(([kind, value]) => `${kind} ${cell(value, digits)}`)
    .join(", ")

function row(run: TopologyRun): string {
  const { ack, orders } = run
  return (
    `| ${run.name} | ${cell(ack.throughput)} | ${cell(ack.latency.p99)} | ${kindText(ack.cpuMsPerAck, 2)} | ${cell(ack.drainSeconds, 1)}${ack.unsettled ? ` (${ack.unsettled} unsettled)` : ""} | ` +
    `${orders.orders}/${orders.carts} | ${cell(orders.ordersPerSecond, 2)} | ${cell(orders.deliveryToOrderMs.p50 / 1000, 2)} | ` +
    `${kindText(orders.cpuMsPerOrderByKind, 0)}, postgres ${cell(orders.cpuMsPerOrder?.postgres)} | **${orders.lost}** | **${orders.doubleCaptured}** |`
  )
}

/** The production topology against one process: throughput, and CPU per ack and per order by process kind. */
export function topologySection(section: Section<TopologyResult>): string[] {
  const { result } = section
  return [
    `**Production topology** (two \`medusa start\` servers, \`MEDUSA_WORKER_MODE=server\`, and one worker against one process, \`shared\`; both with Medusa's Redis event bus, ` +
      `workflow engine, cache and locking on ${result.redis}, the plugin's defaults; ${result.acks.toLocaleString("en")} acks spread over the servers with 32 connections in all, ` +
      `then ${result.carts} carts' webhooks in one burst spread round-robin, as for delivery to order). CPU per ack runs from the first request until the processor has settled every acked delivery ` +
      "(each names a payment session the store does not have, so the processor looks it up and settles it `ignored`: the follow-up of a delivery that changes nothing); " +
      "CPU per order from the burst to 6 s after the last order:",
    measuredOn(section),
    "",
    "| topology | acks/s | ack p99 ms | CPU ms/ack by process | drain s | orders | orders/s | delivery→order p50 s | CPU ms/order by process | lost | double-captured |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    row(result.single),
    row(result.split),
    "",
    `- split ÷ one process: acks/s ${times(result.ratios.ackThroughput)}, ack p99 ${cell(result.ratios.ackP99, 2)}×, orders/s ${times(result.ratios.ordersPerSecond)}, ` +
      `CPU per ack ${cell(result.ratios.cpuPerAck, 2)}×, CPU per order ${cell(result.ratios.cpuPerOrder, 2)}× (on 2 cores more processes cannot go faster: the CPU figures are the cost model).`,
  ]
}
