import { ratio, round } from "../lib/stats"
import { createCarts, deliverBurst, type DeliveryRun } from "../orders/deliver-burst"
import { flushBenchRedis, pidsOf, REDIS_DESCRIPTION, startCluster, stopCluster, type Cluster } from "../store/cluster"
import type { StoreContext } from "./context"
import { BURST_SHAPE } from "./delivery"
import { ackAcrossServers, type TopologyAck } from "./topology-ack"

/** One topology under the load. */
export type TopologyRun = {
  name: string
  processes: { servers: number; worker: boolean }
  ack: TopologyAck
  orders: DeliveryRun & { cpuMsPerOrderByKind: Record<string, number> | null }
}

/** The production topology against one process, same Redis modules, same load. */
export type TopologyResult = {
  redis: string
  carts: number
  acks: number
  single: TopologyRun
  split: TopologyRun
  /** Split ÷ single. */
  ratios: { ackThroughput: number; ackP99: number; ordersPerSecond: number; cpuPerAck: number; cpuPerOrder: number }
}

const sum = (values: Record<string, number> | null | undefined) => Object.values(values ?? {}).reduce((total, value) => total + value, 0)

/** Kinds of process whose CPU is metered: the servers, and the worker when there is one. */
function kindsOf(cluster: Cluster): Record<string, number[]> {
  return cluster.worker ? { servers: pidsOf(cluster.servers), worker: pidsOf([cluster.worker]) } : { process: pidsOf(cluster.servers) }
}

async function runTopology(ctx: StoreContext, name: string, shape: { servers: number; worker: boolean }): Promise<TopologyRun> {
  const { store, config } = ctx
  await flushBenchRedis()
  ctx.step(`Topology ${name}: starting ${shape.servers} server(s)${shape.worker ? " and a worker" : ""} on Redis`)
  const cluster = await startCluster(store, shape, {})
  try {
    const kinds = kindsOf(cluster)
    const label = name.replace(/\W+/g, "-")
    const ack = await ackAcrossServers(store, cluster.servers, kinds, {
      n: config.inboxN,
      templates: ctx.pool.templates,
      secret: ctx.secret,
      runId: `topo_${label}_${Date.now()}`,
    })
    ctx.step(
      `Topology ${name}: ${ack.throughput} acks/s, p99 ${round(ack.latency.p99, 1)} ms, CPU/ack ${JSON.stringify(ack.cpuMsPerAck)} ms`,
    )
    const carts = await createCarts(cluster.servers[0], ctx.seeded, "pp_stripe_mpw", config.topologyCarts, `topo-${label}`)
    const orders = await deliverBurst(cluster.servers[0], ctx.fake, carts, "stripe_mpw", {
      secret: ctx.secret,
      shape: BURST_SHAPE,
      wait: { timeoutMs: 300_000, stallMs: 90_000, settleMs: 6000 },
      baseUrls: cluster.servers.map((server) => server.url),
      kinds,
    })
    ctx.step(
      `Topology ${name}: ${orders.orders}/${orders.carts} orders, ${orders.ordersPerSecond} orders/s, CPU/order ${JSON.stringify(orders.cpuMsPerOrderByKind)} + PostgreSQL ${orders.cpuMsPerOrder?.postgres} ms, lost ${orders.lost}, double-captured ${orders.doubleCaptured}`,
    )
    return { name, processes: shape, ack, orders }
  } finally {
    await stopCluster(cluster)
  }
}

/**
 * Two servers and a worker (MEDUSA_WORKER_MODE server/worker) against one process (shared), both
 * with Medusa's Redis event bus, workflow engine, cache and locking on Redis databases of the
 * benchmark's own, on the store's database and with the plugin's defaults: acks spread over the
 * servers, then a burst of carts' webhooks spread over them; CPU per ack and per order for each
 * process kind (on 2 cores, more processes do not go faster: the CPU figures are the cost model).
 */
export async function runTopologyPhase(ctx: StoreContext): Promise<TopologyResult> {
  await ctx.store.stop("SIGKILL")
  const single = await runTopology(ctx, "one process", { servers: 1, worker: false })
  const split = await runTopology(ctx, "two servers + a worker", { servers: 2, worker: true })
  await flushBenchRedis()
  const cpuPerAck = (run: TopologyRun) => sum(run.ack.cpuMsPerAck)
  const cpuPerOrder = (run: TopologyRun) => sum(run.orders.cpuMsPerOrderByKind) + (run.orders.cpuMsPerOrder?.postgres ?? 0)
  return {
    redis: REDIS_DESCRIPTION,
    carts: ctx.config.topologyCarts,
    acks: ctx.config.inboxN,
    single,
    split,
    ratios: {
      ackThroughput: ratio(split.ack.throughput, single.ack.throughput),
      ackP99: ratio(split.ack.latency.p99, single.ack.latency.p99),
      ordersPerSecond: ratio(split.orders.ordersPerSecond ?? 0, single.orders.ordersPerSecond ?? 0),
      cpuPerAck: ratio(cpuPerAck(split), cpuPerAck(single)),
      cpuPerOrder: ratio(cpuPerOrder(split), cpuPerOrder(single)),
    },
  }
}
