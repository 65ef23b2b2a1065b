/**
 * `npm run bench`: builds the plugin, installs it in a throwaway store next to Medusa's own Stripe
 * provider, and measures on the real PostgreSQL, in one run: the webhook ack path (this plugin vs
 * the built-in route vs this plugin with its entry off), verification cost, the hot path's steps,
 * and webhooks turned into orders. Prints a table and writes bench/results.json.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { StoreProcess } from "../integration-tests/support/store-process"
import { FakeStripe } from "../src/testing/stripe"
import { readConfig } from "./config"
import { killChildren } from "./lib/child"
import { ACK_TARGETS, measureAck, measureAckInterleaved, type AckMeasurement } from "./phases/ack"
import { runOrdersPhase, type OrdersResult } from "./phases/orders"
import { runStagesPhase } from "./phases/stages"
import { runVerifyPhase } from "./phases/verify"
import type { StageTiming } from "./profile/stage-timer"
import { renderProfile, summarizeProfile } from "./profile/summarize"
import { currentLoad, describeMachine } from "./report/machine"
import { ackRatios, checkTargets, writeResults, type BenchResults } from "./report/results"
import { writeMarkdown } from "./report/markdown"
import { renderReport } from "./report/table"
import { createAckPool } from "./store/ack-pool"
import { checkPluginLoaded } from "./store/checks"
import { REPO_ROOT, SEED_SCRIPT, writeStoreProject } from "./store/project"

// Made up for this run; never printed.
const WEBHOOK_SECRET = `whsec_bench_${Math.random().toString(36).slice(2)}`
const started = Date.now()

function step(message: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`)
}

/** Env of each kind of store start. */
const STARTS = {
  checks: { PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "1000" },
  // The ack runs measure the acknowledgement: the work both routes leave for later is held off, the
  // subscriber runs Medusa's route queues (held events) as well as the plugin's re-drive job.
  ack: { BENCH_HOLD_DELAYED_EVENTS: "1", PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: String(24 * 3600_000) },
  ackInboxOff: { BENCH_HOLD_DELAYED_EVENTS: "1", PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: String(24 * 3600_000), BENCH_INBOX_ENABLED: "false" },
  orders: {},
} satisfies Record<string, NodeJS.ProcessEnv>

async function main(): Promise<void> {
  const config = readConfig()
  await StoreProcess.assertDatabaseReachable()
  const machine = await describeMachine()
  step(`${machine.cpu}, ${machine.cores} cores, load average ${machine.loadAverage.start}; N=${config.n}, concurrency ${config.concurrency.join("/")}, M=${config.carts}`)
  if (!config.skipBuild) {
    step("npm run build")
    const build = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, encoding: "utf8" })
    if (build.status !== 0) {
      throw new Error(`npm run build failed:\n${(build.stdout + build.stderr).slice(-3000)}`)
    }
  }
  const cwd = writeStoreProject()
  step("Store project written to bench/.store (the built package installed, no src/)")

  if (!config.ackOnly) {
    step("Verification micro-benchmark")
  }
  const verification = config.ackOnly ? [] : runVerifyPhase()

  const fake = new FakeStripe()
  await fake.start()
  const store = await StoreProcess.create(
    "mpw_bench",
    { STRIPE_API_KEY: "sk_test_bench", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE_URL: fake.url, LOG_LEVEL: "info" },
    { cwd, seedScript: SEED_SCRIPT }
  )
  let cleaned: Promise<void> | undefined
  const cleanup = () =>
    (cleaned ??= (async () => {
      killChildren()
      await store.destroy().catch((error: unknown) => console.error(`Could not drop ${store.databaseName}: ${String(error)}`))
      await fake.stop()
    })())
  // Interrupted (Ctrl-C, a supervisor's SIGTERM): stop the store, drop its database, then leave.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143)))
  }
  const ack: AckMeasurement[] = []
  let stages: StageTiming[] | null = null
  let orders: OrdersResult | null = null
  try {
    step(`Database ${store.databaseName}: migrating (the plugin's migration included), seeding`)
    await store.migrate()
    const seeded = await store.seed()
    await store.start(90_000, STARTS.checks)
    const pool = await createAckPool(store.url, seeded, fake, config.pool)
    const loadChecks = await checkPluginLoaded(store, pool.templates[0], WEBHOOK_SECRET)
    for (const check of loadChecks) {
      step(`${check.ok ? "ok  " : "FAIL"} ${check.name} — ${check.detail}`)
    }
    if (loadChecks.some((check) => !check.ok)) {
      throw new Error("The store does not run the plugin from the built package")
    }
    await store.stop("SIGKILL")

    if (config.stages && !config.ackOnly) {
      step("Hot-path stages in the store's container")
      stages = await runStagesPhase(store, { sessionId: pool.sessionIds[0], template: pool.templates[0], secret: WEBHOOK_SECRET })
    }

    const profileDir = join(__dirname, ".profiles")
    if (config.cpuProfile) {
      mkdirSync(profileDir, { recursive: true })
    }
    const settings = { n: config.n, secret: WEBHOOK_SECRET, templates: pool.templates, runId: "ack", cpuProfile: config.cpuProfile }
    const report = (run: AckMeasurement) =>
      step(`ack ${ACK_TARGETS[run.target].label} @${run.concurrency}: ${run.throughput.toFixed(0)} req/s, p99 ${run.latency.p99.toFixed(1)} ms, ` +
        `CPU/request store ${run.cpuMsPerRequest.store} ms + PostgreSQL ${run.cpuMsPerRequest.postgres} ms, ` +
        `non-2xx/errors ${run.non2xx + run.errors + run.timeouts}${run.recorded ? `, recorded ${JSON.stringify(run.recorded)}` : ""}`)
    for (const concurrency of config.concurrency) {
      if (config.cpuProfile) {
        // One store start per target, so that each profile holds one route's work.
        for (const [target, env] of [["plugin", STARTS.ack], ["medusa", STARTS.ack], ["plugin_inbox_off", STARTS.ackInboxOff]] as const) {
          const profileFile = join(profileDir, `${target}-c${concurrency}.cpuprofile`)
          await store.stop("SIGKILL")
          await store.start(90_000, { ...env, NODE_OPTIONS: `--require ${join(__dirname, "profile", "cpu-hook.js")}`, BENCH_CPU_PROFILE_FILE: profileFile })
          const run = await measureAck(store, target, concurrency, settings)
          ack.push(run)
          if (existsSync(profileFile)) {
            console.log(renderProfile(`CPU profile of the store, ${target} @${concurrency}`, summarizeProfile(profileFile), run.warmupRequests + run.requests))
          }
          report(run)
        }
        continue
      }
      await store.stop("SIGKILL")
      await store.start(90_000, STARTS.ack)
      for (const run of await measureAckInterleaved(store, ["plugin", "medusa"], concurrency, { ...settings, rounds: config.rounds })) {
        ack.push(run)
        report(run)
      }
      await store.stop("SIGKILL")
      await store.start(90_000, STARTS.ackInboxOff)
      // Warmed up and sliced as the interleaved runs are, so that the two stores compare like for like.
      for (const run of await measureAckInterleaved(store, ["plugin_inbox_off"], concurrency, { ...settings, rounds: config.rounds })) {
        ack.push(run)
        report(run)
      }
    }

    await store.stop("SIGKILL")
    if (config.ackOnly) {
      return
    }
    await store.start(90_000, STARTS.orders)
    step(`Webhooks to orders: ${config.carts} carts`)
    orders = await runOrdersPhase(store, seeded, fake, {
      carts: config.carts,
      secret: WEBHOOK_SECRET,
      cartConcurrency: 8,
      burstConcurrency: 32,
      duplicateRate: 0.2,
      outOfOrderRate: 0.05,
      timeoutMs: 180_000,
      settleMs: 6000,
    })
    step(`Orders: ${orders.orders}/${orders.carts} in ${orders.allOrdersSeconds ?? "–"} s, lost ${orders.lost}, double-captured ${orders.doubleCaptured}`)
    machine.loadAverage.end = currentLoad()
    const partial = {
      startedAt: new Date(started).toISOString(),
      machine,
      settings: {
        n: config.n, concurrency: config.concurrency, carts: config.carts, eventBus: "Medusa's in-memory (local) event bus",
        ackPoolSessions: config.pool, ackRounds: config.cpuProfile ? 1 : config.rounds, cpuProfiled: config.cpuProfile,
      },
      loadChecks,
      verification,
      stages,
      ack,
      ackRatios: ackRatios(ack, config.concurrency),
      orders,
    }
    const results: BenchResults = { ...partial, targets: checkTargets(partial), totalSeconds: Math.round((Date.now() - started) / 1000) }
    const file = writeResults(results)
    const markdown = writeMarkdown(results)
    console.log(`\n${renderReport(results)}\n\nWritten to ${file.slice(REPO_ROOT.length + 1)} and ${markdown.slice(REPO_ROOT.length + 1)} (the README's block)`)
  } catch (error) {
    console.error(store.log.split("\n").slice(-40).join("\n"))
    throw error
  } finally {
    await cleanup()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
)
