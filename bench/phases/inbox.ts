import type { Client } from "pg"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import { round, ratio } from "../lib/stats"
import { eventBody } from "../load/stripe-bodies"
import { analyzeInbox, bytesPerRow, emptyInbox, fillInbox, measureRowBytes } from "../../src/modules/payment-webhooks/fixtures"
import { countPrunable, countRawBodiesToDrop, setAside } from "../../src/modules/payment-webhooks/inspection"
import { parseInboxOptions } from "../../src/modules/payment-webhooks/options"
import { INBOX_TABLE } from "../../src/modules/payment-webhooks/tables"
import { placeOrders } from "../orders/place-orders"
import { withDb } from "../store/db"
import { timeInserts, type InsertTime } from "../store/insert-time"
import { adminLoginOf } from "../store/seed-bench"
import { measureAckInterleaved, type AckMeasurement } from "./ack"
import { adminBearer, againstEmpty, measureAdminReads, UNCACHED_WARMUPS, type AdminReadsAt } from "./admin-reads"
import { restart, STARTS, type StoreContext } from "./context"
import { timeJobPass, type JobPassAt } from "./job-pass"
import { runMaintenance, type MaintenanceResult } from "./maintenance"

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
  /** The admin's reads at this size (absent from runs before they were measured). */
  admin?: AdminReadsAt
  /** The job's pass at this size, and its median ÷ the emptied table's. */
  jobPass?: JobPassAt
  jobPassVsEmpty?: number | null
}

/** Cost as the inbox grows. */
export type InboxResult = {
  concurrency: number
  requestsPerRoute: number
  rowBytes: { rows: number; withBody: number; withoutBody: number; bodyBytes: number }
  levels: InboxLevel[]
  /** The raw-body drop of the filled rows, then their prune, each with acks running against it. */
  bodyDrop?: MaintenanceResult | null
  prune: MaintenanceResult | null
  /** How the admin's reads were made: requests per read, orders read uncached per size, orders placed for them. */
  admin?: { requests: number; uncachedPerSize: number; ordersPlaced: number; orderSeconds: number }
}

const CONCURRENCY = 32
/** The retention ages the drop and the prune are asked for: the plugin's defaults (30 and 90 days); every filled row is older. */
const { rawBodyRetentionDays: RAW_BODY_DAYS, retentionDays: RETENTION_DAYS } = parseInboxOptions({})

/** The filled rows: the bench store's plugin provider, its four usual Stripe events, all settled past retention. */
const FILL = {
  providerId: "stripe_mpw",
  eventTypes: ["payment_intent.amount_capturable_updated", "payment_intent.succeeded", "charge.refunded", "payment_intent.payment_failed"],
  pspReferencePrefix: "pi_fill_",
  minAgeDays: RETENTION_DAYS + 1,
} as const
/** The job's pass is timed with retention ages past the filled rows' oldest (at most a year past `minAgeDays`): nothing to drop or prune. */
const STEADY_RETENTION_DAYS = FILL.minAgeDays + 400
/** Calls of a retention method at most, each up to its budget (5 s): far more than a million rows need. */
const MAX_CALLS = 5000

const ackAt = (run: AckMeasurement): AckAt => ({
  throughput: round(run.throughput, 1),
  p50: round(run.latency.p50, 1),
  p99: round(run.latency.p99, 1),
  cpuMsPerRequest: run.cpuMsPerRequest,
})

/** The pass's median ÷ the emptied table's (1 on the emptied table; null when either pass failed). */
function passVsEmpty(pass: JobPassAt, empty: InboxLevel | undefined): number | null {
  if (pass.passMs === null) {
    return null
  }
  if (!empty) {
    return 1
  }
  const emptyPass = empty.jobPass?.passMs ?? null
  return emptyPass === null ? null : ratio(pass.passMs, emptyPass)
}

/**
 * Starts the store afresh (see `STARTS.maintenance`), vacuums the inbox and checkpoints: a method's
 * baseline is then not measured in the aftermath of the step before (the fill's or the drop's dead
 * rows and dirty pages), while what the method itself leaves still falls into its own window.
 */
async function quiesce(store: StoreProcess): Promise<void> {
  await restart(store, STARTS.maintenance)
  await withDb(store.databaseUrl, async (db) => {
    await analyzeInbox(db)
    await db.query("CHECKPOINT")
  })
}

/** How often autovacuum worked on the inbox and PostgreSQL checkpointed, for the log: the pauses retention may cause. */
async function databaseActivity(db: Client): Promise<string> {
  const { rows } = await db.query<{ vacuums: number; analyzes: number; checkpoints: number }>(
    `SELECT (SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = $1)::int AS vacuums,
            (SELECT autoanalyze_count FROM pg_stat_user_tables WHERE relname = $1)::int AS analyzes,
            (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::int AS checkpoints`,
    [INBOX_TABLE],
  )
  const [activity] = rows
  return `${activity.vacuums} autovacuum(s) and ${activity.analyzes} autoanalyze(s) of the inbox, ${activity.checkpoints} checkpoint(s) in all`
}

/** The maintenance of the filled rows, each with acks running against it: raw bodies first, then the rows. */
async function maintain(
  ctx: StoreContext,
  settings: Parameters<typeof runMaintenance>[1],
  filled: number,
): Promise<{ bodyDrop: MaintenanceResult | null; prune: MaintenanceResult | null }> {
  const { store } = ctx
  const { runId } = settings
  if (!filled) {
    return { bodyDrop: null, prune: null }
  }
  ctx.step(`Raw-body drop of ${filled.toLocaleString("en")} settled rows older than ${RAW_BODY_DAYS} days, acks running`)
  await quiesce(store)
  ctx.step(`Database before retention: ${await withDb(store.databaseUrl, databaseActivity)}`)
  const bodyDrop = await runMaintenance(
    store,
    { ...settings, runId: `${runId}_drop` },
    { method: "dropOldRawBodies", olderThanDays: RAW_BODY_DAYS, maxCalls: MAX_CALLS },
    () => withDb(store.databaseUrl, (db) => countRawBodiesToDrop(db, RAW_BODY_DAYS)),
  )
  ctx.step(`Retention prune of ${filled.toLocaleString("en")} settled rows older than ${RETENTION_DAYS} days, acks running`)
  const countEligible = () => withDb(store.databaseUrl, (db) => countPrunable(db, RETENTION_DAYS))
  await quiesce(store)
  const prune = await runMaintenance(
    store,
    { ...settings, runId: `${runId}_prune` },
    { method: "pruneSettled", olderThanDays: RETENTION_DAYS, maxCalls: MAX_CALLS },
    countEligible,
  )
  // Their load named the pool's unpaid sessions: its rows are set aside, as the ack runs' are, so no later job re-drives them.
  for (const label of ["drop", "prune"]) {
    await withDb(store.databaseUrl, (db) => setAside(db, { eventIdPrefix: `evt_bench_${runId}_${label}_` }, "benchmark: ack-only delivery"))
  }
  ctx.step(`Database after retention: ${await withDb(store.databaseUrl, databaseActivity)}`)
  for (const [name, run] of [
    ["Raw-body drop", bodyDrop],
    ["Prune", prune],
  ] as const) {
    ctx.step(
      `${name}: ${run.output?.rows ?? "–"} rows in ${run.output?.seconds ?? "–"} s${run.error ? ` (failed: ${run.error})` : ""}; ` +
        `edge p99 during ÷ before ${run.ratios.p99}×, throughput ${run.ratios.throughput}×`,
    )
  }
  return { bodyDrop, prune }
}

/**
 * The edge as the inbox grows: on the emptied table, then filled (a direct bulk insert of settled
 * rows with ~1–2 KB raw bodies, all older than the retention age) to each of `config.inboxRows`,
 * the plugin's and Medusa's acks interleaved at concurrency 32, and the delivery insert timed alone;
 * at each size, the admin's reads (after orders paid with the plugin's provider are placed in the
 * emptied inbox, on the default start) and the job's pass; then the raw-body drop and the retention
 * prune of every filled row with acks running against each; bytes per row with and without raw
 * bodies. Between the orders and the bytes, the store runs with delayed events held and the job off
 * (as the ack phase).
 */
export async function runInboxPhase(ctx: StoreContext): Promise<InboxResult> {
  const { store, config } = ctx
  const sizes = [0, ...config.inboxRows]
  // Orders for the order view, placed through the plugin's webhooks into the emptied inbox: each has its deliveries there.
  await restart(store, STARTS.orders)
  await withDb(store.databaseUrl, (db) => emptyInbox(db))
  const perSize = config.adminOrders + UNCACHED_WARMUPS
  const orderStarted = Date.now()
  ctx.step(`Inbox growth: placing ${1 + sizes.length * perSize} orders paid with the plugin's provider, for the order view`)
  const orders = await placeOrders(store, ctx.fake, ctx.seeded, ctx.secret, 1 + sizes.length * perSize, `inbox-${orderStarted}`)
  const orderSeconds = round((Date.now() - orderStarted) / 1000, 1)
  await restart(store, STARTS.ack)
  const login = adminLoginOf(store.seeded)
  if (!login || !store.seeded) {
    throw new Error("The seeded store has no admin user (bench/store/seed-bench.ts makes one)")
  }
  const { adminSecret } = store.seeded
  const bearer = await adminBearer(store.url, login)
  const body = eventBody(ctx.pool.templates[0], "evt_fill___N__")
  const settings = { n: config.inboxN, secret: ctx.secret, templates: ctx.pool.templates, runId: `inbox${Date.now()}`, rounds: 3 }
  const levels: InboxLevel[] = []
  let filled = 0
  for (const [index, target] of sizes.entries()) {
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
    ctx.step(`Inbox at ${rows.toLocaleString("en")} rows: admin reads, ${config.adminReads} of each`)
    const admin = await measureAdminReads({
      baseUrl: store.url,
      bearer,
      secretKey: adminSecret,
      requests: config.adminReads,
      fillRows: filled,
      pspPrefix: FILL.pspReferencePrefix,
      cachedOrder: orders[0],
      uncachedOrders: orders.slice(1 + index * perSize, 1 + (index + 1) * perSize),
      providerId: "pp_stripe_mpw",
    })
    ctx.step(`Inbox at ${rows.toLocaleString("en")} rows: the job's pass`)
    const steady = String(STEADY_RETENTION_DAYS)
    const jobPass = await timeJobPass(
      store,
      { ...STARTS.ack, BENCH_RETENTION_DAYS: steady, BENCH_RAW_BODY_RETENTION_DAYS: steady },
      STEADY_RETENTION_DAYS,
    )
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
      admin: againstEmpty(admin, empty?.admin),
      jobPass,
      jobPassVsEmpty: passVsEmpty(jobPass, empty),
    }
    levels.push(level)
    const reads = admin.reads
    ctx.step(
      `Inbox at ${rows.toLocaleString("en")} rows: plugin ${level.plugin.throughput} req/s p99 ${level.plugin.p99} ms (÷ Medusa ${level.ratios.throughput}×, ${level.ratios.p99}×), ` +
        `insert p50 ${insert.p50} ms; admin p99 list ${reads.list.p99} ms, summary ${reads.summary.p99} ms, ` +
        `order view ${reads.orderCached.p99} / ${reads.orderUncached.p99} ms (PSP cached / asked); job pass ${jobPass.passMs ?? `failed: ${jobPass.error}`} ms`,
    )
  }
  const { bodyDrop, prune } = await maintain(ctx, settings, filled)
  await store.stop("SIGKILL")
  // Last, on the store's stopped database, so that writing 200 000 rows weighs on no other figure.
  ctx.step(`Inbox growth: bytes per row (100 000 rows with ${Buffer.byteLength(body)}-byte bodies, then without)`)
  const rowBytes = await withDb(store.databaseUrl, (db) => measureRowBytes(db, 100_000, body, FILL))
  return {
    concurrency: CONCURRENCY,
    requestsPerRoute: config.inboxN,
    rowBytes,
    levels,
    bodyDrop,
    prune,
    admin: { requests: config.adminReads, uncachedPerSize: config.adminOrders, ordersPlaced: orders.length, orderSeconds },
  }
}
