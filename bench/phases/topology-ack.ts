import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { AckJob, AckRunResult } from "../load/ack-child"
import type { EventTemplate } from "../load/stripe-bodies"
import { runChild } from "../lib/child"
import { CpuMeter } from "../lib/cpu"
import { round, summarize, type LatencySummary } from "../lib/stats"
import { cpuScope, withDb } from "../store/db"
import { countByStatus } from "../../src/modules/payment-webhooks/inspection"

const ACK_CHILD = join(__dirname, "..", "load", "ack-child.ts")

/** Acks spread over a topology's servers, and what they cost each process kind until the worker took them up. */
export type TopologyAck = {
  requests: number
  seconds: number
  throughput: number
  latency: LatencySummary
  failures: number
  /** From the last answer until the processor had settled every acked delivery (or no progress for 15 s). */
  drainSeconds: number
  /** Acked deliveries still `received` then. */
  unsettled: number
  /** CPU per ack (ms), from the first request until drained: per process kind, and PostgreSQL. */
  cpuMsPerAck: Record<string, number>
}

/** Rows of `prefix` the processor has not settled yet. */
async function untaken(databaseUrl: string, prefix: string): Promise<number> {
  return withDb(databaseUrl, async (db) => (await countByStatus(db, { eventIdPrefix: prefix })).received ?? 0)
}

/** Waits until the processor settled every row of `prefix`, or made no progress for 15 s, or 120 s passed. */
async function drain(databaseUrl: string, prefix: string): Promise<{ seconds: number; left: number }> {
  const started = Date.now()
  let left = await untaken(databaseUrl, prefix)
  let progressAt = Date.now()
  while (left > 0 && Date.now() - started < 120_000 && Date.now() - progressAt < 15_000) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const now = await untaken(databaseUrl, prefix)
    if (now < left) {
      progressAt = Date.now()
    }
    left = now
  }
  return { seconds: round((Date.now() - started) / 1000, 1), left }
}

/** One child per server, all at once, `amount` each after `warmup`. */
function spread(
  urls: readonly string[],
  perServer: { amount: number; warmup: number; connections: number },
  templates: EventTemplate[],
  secret: string,
  prefix: string,
) {
  return Promise.all(
    urls.map((url, index) =>
      runChild<AckJob, AckRunResult>(
        ACK_CHILD,
        {
          url: `${url}/hooks/payment/stripe_mpw`,
          connections: perServer.connections,
          warmup: perServer.warmup,
          amount: perServer.amount,
          templates,
          idPrefix: `${prefix}s${index}_`,
          secret,
          timeoutSeconds: 30,
          sessionPrefix: `payses_${prefix}s${index}_`,
        },
        300_000,
      ),
    ),
  )
}

/**
 * `n` acks to the plugin's route spread evenly over `servers` (32 connections in all), after a
 * warm-up that is drained first; CPU metered per process kind from the first request until the
 * processor (in the worker, or the one process) has settled every acked delivery: the ack's cost
 * on the server, and the follow-up's where it runs. Each delivery names a payment session of its
 * own that the store does not have (as from a Stripe account another store shares): the processor
 * takes the session's lock, looks it up and settles the row `ignored`, with no lock contention
 * between deliveries and no order, so that orders are measured by the burst alone.
 */
export async function ackAcrossServers(
  store: StoreProcess,
  servers: readonly StoreProcess[],
  kinds: Record<string, number[]>,
  settings: { n: number; templates: EventTemplate[]; secret: string; runId: string },
): Promise<TopologyAck> {
  const urls = servers.map((server) => server.url)
  const connections = Math.max(1, Math.round(32 / urls.length))
  const warmPrefix = `evt_bench_${settings.runId}_warm_`
  // Every server gets the same warm-up (a cold process costs more per request for thousands of requests).
  await spread(urls, { amount: 1000, warmup: 0, connections }, settings.templates, settings.secret, warmPrefix)
  await drain(store.databaseUrl, warmPrefix)
  const prefix = `evt_bench_${settings.runId}_`
  const entries = Object.entries(kinds)
  const all = await new CpuMeter(
    cpuScope(
      servers[0],
      entries.flatMap(([, pids]) => pids),
    ),
  ).start()
  const perKind = await Promise.all(entries.map(([, pids]) => new CpuMeter({ ...cpuScope(servers[0]), rootPids: pids }).start()))
  const runs = await spread(
    urls,
    { amount: Math.ceil(settings.n / urls.length), warmup: connections, connections },
    settings.templates,
    settings.secret,
    prefix,
  )
  const drained = await drain(store.databaseUrl, prefix)
  const spent = await all.stop()
  const kindSpent = await Promise.all(perKind.map((meter) => meter.stop()))
  const latencies = runs.flatMap((run) => run.latencies)
  const seconds = Math.max(...runs.map((run) => run.durationMs)) / 1000
  const acks = runs.reduce((sum, run) => sum + run.requests + run.warmupRequests, 0)
  return {
    requests: latencies.length,
    seconds: round(seconds, 2),
    throughput: round(latencies.length / seconds, 1),
    latency: summarize(latencies),
    failures: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
    drainSeconds: drained.seconds,
    unsettled: drained.left,
    cpuMsPerAck: {
      ...Object.fromEntries(entries.map(([kind], index) => [kind, round(kindSpent[index].storeMs / acks, 3)])),
      postgres: round(spent.postgresMs / acks, 3),
    },
  }
}
