import { existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { ratio, round } from "../lib/stats"
import { renderProfile, summarizeProfile } from "../profile/summarize"
import { ACK_TARGETS, measureAck, measureAckInterleaved, type AckMeasurement } from "./ack"
import { restart, STARTS, type StoreContext } from "./context"

/** Plugin ÷ Medusa at one concurrency (and the inbox's own cost: inbox on ÷ inbox off). */
export type AckRatios = {
  concurrency: number
  throughput: number
  p99: number
  /** CPU per request (store + PostgreSQL), plugin − Medusa, in ms. */
  cpuMsPerRequestDelta: number
  inboxOnVsOffThroughput: number
  inboxOnVsOffP99: number
  /** Medusa's own provider through the inbox ÷ the same provider on Medusa's route. */
  medusaInboxThroughput: number
  medusaInboxP99: number
}

/** The ack phase: every run, and the ratios per concurrency. */
export type AckResult = { runs: AckMeasurement[]; ratios: AckRatios[] }

/** CPU per request, store and PostgreSQL together (ms). */
export const cpuPerRequest = (run: AckMeasurement) => run.cpuMsPerRequest.store + run.cpuMsPerRequest.postgres

/** Ratios per concurrency, from the runs made in this phase. */
export function ackRatios(runs: readonly AckMeasurement[], concurrencies: readonly number[]): AckRatios[] {
  const find = (target: AckMeasurement["target"], concurrency: number) =>
    runs.find((run) => run.target === target && run.concurrency === concurrency)
  return concurrencies.flatMap((concurrency) => {
    const plugin = find("plugin", concurrency)
    const medusa = find("medusa", concurrency)
    const off = find("plugin_inbox_off", concurrency)
    const inboxed = find("medusa_inbox", concurrency)
    if (!plugin || !medusa) {
      return []
    }
    return [
      {
        concurrency,
        throughput: ratio(plugin.throughput, medusa.throughput),
        p99: ratio(plugin.latency.p99, medusa.latency.p99),
        cpuMsPerRequestDelta: round(cpuPerRequest(plugin) - cpuPerRequest(medusa), 3),
        inboxOnVsOffThroughput: off ? ratio(plugin.throughput, off.throughput) : Number.NaN,
        inboxOnVsOffP99: off ? ratio(plugin.latency.p99, off.latency.p99) : Number.NaN,
        medusaInboxThroughput: inboxed ? ratio(inboxed.throughput, medusa.throughput) : Number.NaN,
        medusaInboxP99: inboxed ? ratio(inboxed.latency.p99, medusa.latency.p99) : Number.NaN,
      },
    ]
  })
}

/**
 * The acknowledgement, this plugin's route against Medusa's, per concurrency: both interleaved on
 * one store start (delayed events held, the job off), then the plugin with its entry off on a
 * start of its own, warmed up and sliced alike. `--cpu-profile` profiles one store start per target.
 */
export async function runAckPhase(ctx: StoreContext): Promise<AckResult> {
  const { store, config } = ctx
  const runs: AckMeasurement[] = []
  const profileDir = join(__dirname, "..", ".profiles")
  if (config.cpuProfile) {
    mkdirSync(profileDir, { recursive: true })
  }
  const settings = {
    n: config.n,
    secret: ctx.secret,
    templates: ctx.pool.templates,
    runId: `ack${Date.now()}`,
    cpuProfile: config.cpuProfile,
  }
  const report = (run: AckMeasurement) => {
    runs.push(run)
    ctx.step(
      `ack ${ACK_TARGETS[run.target].label} @${run.concurrency}: ${run.throughput.toFixed(0)} req/s, p99 ${run.latency.p99.toFixed(1)} ms, ` +
        `CPU/request store ${run.cpuMsPerRequest.store} ms + PostgreSQL ${run.cpuMsPerRequest.postgres} ms, ` +
        `non-2xx/errors ${run.non2xx + run.errors + run.timeouts}${run.recorded ? `, recorded ${JSON.stringify(run.recorded)}` : ""}`,
    )
  }
  for (const concurrency of config.concurrency) {
    if (config.cpuProfile) {
      for (const [target, env] of [
        ["plugin", STARTS.ack],
        ["medusa", STARTS.ack],
        ["medusa_inbox", STARTS.ack],
        ["plugin_inbox_off", STARTS.ackInboxOff],
      ] as const) {
        const profileFile = join(profileDir, `${target}-c${concurrency}.cpuprofile`)
        await restart(store, {
          ...env,
          NODE_OPTIONS: `--require ${join(__dirname, "..", "profile", "cpu-hook.js")}`,
          BENCH_CPU_PROFILE_FILE: profileFile,
        })
        const run = await measureAck(store, target, concurrency, settings)
        if (existsSync(profileFile)) {
          console.log(
            renderProfile(
              `CPU profile of the store, ${target} @${concurrency}`,
              summarizeProfile(profileFile),
              run.warmupRequests + run.requests,
            ),
          )
        }
        report(run)
      }
      continue
    }
    await restart(store, STARTS.ack)
    // Medusa's own provider, on Medusa's route and through the inbox, beside this package's: one store start, interleaved.
    for (const run of await measureAckInterleaved(store, ["plugin", "medusa", "medusa_inbox"], concurrency, {
      ...settings,
      rounds: config.rounds,
    })) {
      report(run)
    }
    await restart(store, STARTS.ackInboxOff)
    for (const run of await measureAckInterleaved(store, ["plugin_inbox_off"], concurrency, { ...settings, rounds: config.rounds })) {
      report(run)
    }
  }
  await store.stop("SIGKILL")
  return { runs, ratios: ackRatios(runs, config.concurrency) }
}
