import { round, ratio } from "../lib/stats"
import { eventBody } from "../load/stripe-bodies"
import { analyzeInbox, bytesPerRow, emptyInbox, fillInbox, measureRowBytes } from "../../src/modules/payment-webhooks/fixtures"
import { countPrunable, setAside } from "../../src/modules/payment-webhooks/inspection"
import { withDb } from "../store/db"
import { timeInserts, type InsertTime } from "../store/insert-time"
import { measureAckInterleaved, type AckMeasurement } from "./ack"
import { restart, STARTS, type StoreContext } from "./context"
import { runPrune, type PruneResult } from "./prune"

/** One route's ack figures at one inbox size. */
type AckAt = { throughput: number; p50: number; p99: number; cpuMsPerRequest: { store: number; postgres: number } }

/** The edge at one inbox size. */
export type InboxLevel = {
  rows: number
  fillSeconds: number
  plugin: AckAt
  medusa: AckAt
  insert: InsertTime
  failures: number
  /** Plugin ÷ Medusa at this size. */
  ratios: { throughput: number; p99: number }
  /** Plugin at this size ÷ plugin on the empty table (the insert without the commit's flush). */
  vsEmpty: { throughput: number; p99: number; insertP50: number }
  tableBytes: number
}

/** Cost as the inbox grows. */
export type InboxResult = {
  concurrency: number
  requestsPerRoute: number
  rowBytes: { rows: number; withBody: number; withoutBody: number; bodyBytes: number }
  levels: InboxLevel[]
  prune: PruneResult | null
}

const CONCURRENCY = 32
/** The retention age the prune is asked for (the plugin's default, 90 days); every filled row is older. */
const RETENTION_DAYS = 90

/** The filled rows: the bench store's plugin provider, its four usual Stripe events, all settled past retention. */
const FILL = {
  providerId: "stripe_mpw",
  eventTypes: ["payment_intent.amount_capturable_updated", "payment_intent.succeeded", "charge.refunded", "payment_intent.payment_failed"],
  pspReferencePrefix: "pi_fill_",
  minAgeDays: RETENTION_DAYS + 1,
} as const
/**
 * The prune as the job runs it (the plugin's defaults: batches of 1000, 5 s per pass), called pass
 * after pass until one prunes nothing: its time is the work, `calls` the job passes it spans.
 */
const PRUNE_INPUT = { olderThanDays: RETENTION_DAYS, batchSize: 1000, budgetMs: 5000, maxCalls: 5000 }

const ackAt = (run: AckMeasurement): AckAt => ({
  throughput: round(run.throughput, 1),
  p50: round(run.latency.p50, 1),
  p99: round(run.latency.p99, 1),
  cpuMsPerRequest: run.cpuMsPerRequest,
})

/**
 * The edge as the inbox grows: on the emptied table, then filled (a direct bulk insert of settled
 * rows with ~1–2 KB raw bodies, all older than the retention age) to each of `config.inboxRows`,
 * the plugin's and Medusa's acks interleaved at concurrency 32, and the delivery insert timed alone;
 * bytes per row with and without raw bodies; then the retention prune of every filled row with acks
 * running against it. The store runs with delayed events held and the job off (as the ack phase).
 */
export async function runInboxPhase(ctx: StoreContext): Promise<InboxResult> {
  const { store, config } = ctx
  await restart(store, STARTS.ack)
  const body = eventBody(ctx.pool.templates[0], "evt_fill___N__")
  const settings = { n: config.inboxN, secret: ctx.secret, templates: ctx.pool.templates, runId: `inbox${Date.now()}`, rounds: 3 }
  await withDb(store.databaseUrl, (db) => emptyInbox(db))
  const levels: InboxLevel[] = []
  let filled = 0
  for (const target of [0, ...config.inboxRows]) {
    const fillStarted = Date.now()
    const { tableBytes, rows } = await withDb(store.databaseUrl, async (db) => {
      if (target > filled) {
        ctx.step(`Inbox growth: filling to ${target.toLocaleString("en")} rows`)
        for (let from = filled; from < target; from += 100_000) {
          await fillInbox(db, { ...FILL, from: from + 1, count: Math.min(100_000, target - from), bodyTemplate: body })
        }
        await analyzeInbox(db)
        filled = target
      }
      const size = await bytesPerRow(db)
      return { tableBytes: size.totalBytes, rows: size.rows }
    })
    const fillSeconds = round((Date.now() - fillStarted) / 1000, 1)
    const [plugin, medusa] = await measureAckInterleaved(store, ["plugin", "medusa"], CONCURRENCY, {
      ...settings,
      runId: `${settings.runId}_r${target}`,
    })
    // After the acks, on a warm table and connection, as the edge's insert runs.
    const insert = await withDb(store.databaseUrl, (db) => timeInserts(db, body, `r${target}`))
    const empty = levels[0]
    const level: InboxLevel = {
      rows,
      fillSeconds,
      plugin: ackAt(plugin),
      medusa: ackAt(medusa),
      insert,
      failures: [plugin, medusa].reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
      ratios: { throughput: ratio(plugin.throughput, medusa.throughput), p99: ratio(plugin.latency.p99, medusa.latency.p99) },
      vsEmpty: empty
        ? {
            throughput: ratio(plugin.throughput, empty.plugin.throughput),
            p99: ratio(plugin.latency.p99, empty.plugin.p99),
            insertP50: ratio(insert.noFlush.p50, empty.insert.noFlush.p50),
          }
        : { throughput: 1, p99: 1, insertP50: 1 },
      tableBytes,
    }
    levels.push(level)
    ctx.step(
      `Inbox at ${rows.toLocaleString("en")} rows: plugin ${level.plugin.throughput} req/s p99 ${level.plugin.p99} ms (÷ Medusa ${level.ratios.throughput}×, ${level.ratios.p99}×), insert p50 ${insert.p50} ms`,
    )
  }
  ctx.step(`Retention prune of ${filled.toLocaleString("en")} settled rows older than ${RETENTION_DAYS} days, acks running`)
  const countEligible = () => withDb(store.databaseUrl, (db) => countPrunable(db, RETENTION_DAYS))
  const prune = filled ? await runPrune(store, { ...settings, runId: `${settings.runId}_prune` }, PRUNE_INPUT, countEligible) : null
  // The prune's load named the pool's unpaid sessions: set its rows aside, as the ack runs' are, so no later job re-drives them.
  await withDb(store.databaseUrl, (db) =>
    setAside(db, { eventIdPrefix: `evt_bench_${settings.runId}_prune_` }, "benchmark: ack-only delivery"),
  )
  if (prune) {
    ctx.step(
      `Prune: ${prune.eligibleBefore - prune.eligibleAfter} rows in ${prune.output?.seconds ?? "–"} s${prune.error ? ` (failed: ${prune.error})` : ""}; ` +
        `edge p99 during ÷ before ${prune.ratios.p99}×, throughput ${prune.ratios.throughput}×`,
    )
  }
  await store.stop("SIGKILL")
  // Last, on the store's stopped database, so that writing 200 000 rows weighs on no other figure.
  ctx.step(`Inbox growth: bytes per row (100 000 rows with ${Buffer.byteLength(body)}-byte bodies, then without)`)
  const rowBytes = await withDb(store.databaseUrl, (db) => measureRowBytes(db, 100_000, body, FILL))
  return { concurrency: CONCURRENCY, requestsPerRoute: config.inboxN, rowBytes, levels, prune }
}
