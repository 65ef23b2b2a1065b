/**
 * `npm run bench`: builds the plugin, installs it in a throwaway store next to Medusa's own Stripe
 * provider, and measures on the real PostgreSQL, in one run, each against a baseline of the same
 * run: verification cost, the hot path's steps, the acknowledgement (this plugin's route vs
 * Medusa's), delivery to order (the same burst to both providers), the cost as the inbox grows,
 * and the production topology (two servers and a worker on Redis vs one process).
 * `--only <phase>` runs one phase and replaces its section of bench/results.json.
 * Writes bench/results.json and bench/results.md, puts the latter between the bench markers of bench/README.md, and prints it.
 */
import { spawnSync } from "node:child_process"
import { StoreProcess } from "../integration-tests/support/store-process"
import { FakeStripe } from "../src/testing/stripe"
import { PHASES, readConfig, type PhaseName } from "./config"
import { killChildren } from "./lib/child"
import { runAckPhase } from "./phases/ack-phase"
import { STARTS, type StoreContext } from "./phases/context"
import { runDeliveryPhase } from "./phases/delivery"
import { runInboxPhase } from "./phases/inbox"
import { runStagesPhase } from "./phases/stages"
import { runTopologyPhase } from "./phases/topology"
import { runVerifyPhase } from "./phases/verify"
import { currentLoad, describeMachine, type Machine } from "./report/machine"
import { mergeResults, readResults, writeResults, type BenchResults, type PhaseResults } from "./report/results"
import { renderMarkdown, writeMarkdown } from "./report/markdown"
import { checkTargets } from "./report/targets"
import { updateReadmeBlock } from "./report/readme"
import { createAckPool } from "./store/ack-pool"
import { stopAllMembers } from "./store/cluster"
import { checkPluginLoaded, type LoadCheck } from "./store/checks"
import { REPO_ROOT, SEED_SCRIPT, writeStoreProject } from "./store/project"

// Made up for this run; never printed.
const WEBHOOK_SECRET = `whsec_bench_${Math.random().toString(36).slice(2)}`
const started = Date.now()

function step(message: string): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`)
}

/** Runs one phase and files its figures with the machine, the time and the settings they came from. */
async function record<P extends PhaseName>(
  sections: BenchResults["sections"],
  failures: Record<string, string>,
  machine: Machine,
  phase: P,
  settings: Record<string, unknown>,
  run: () => Promise<PhaseResults[P]>,
): Promise<void> {
  const phaseStarted = Date.now()
  const loadStart = currentLoad()
  step(`Phase ${phase}`)
  try {
    const result = await run()
    const section = {
      machine: { ...machine, loadAverage: { start: loadStart, end: currentLoad() } },
      startedAt: new Date(phaseStarted).toISOString(),
      seconds: Math.round((Date.now() - phaseStarted) / 1000),
      settings,
      result,
    }
    Object.assign(sections, { [phase]: section })
    step(`Phase ${phase} done in ${section.seconds} s`)
  } catch (error) {
    failures[phase] = error instanceof Error ? error.message.slice(0, 2000) : String(error)
    console.error(`Phase ${phase} failed: ${failures[phase]}`)
  }
}

async function main(): Promise<boolean> {
  const config = readConfig()
  const selected = new Set<PhaseName>(config.only ? [config.only] : PHASES.filter((phase) => phase !== "stages" || config.stages))
  await StoreProcess.assertDatabaseReachable()
  const machine = await describeMachine()
  step(`${machine.cpu}, ${machine.cores} cores, load average ${machine.loadAverage.start}; phases ${[...selected].join(", ")}`)
  const sections: BenchResults["sections"] = {}
  const failures: Record<string, string> = {}
  let loadChecks: LoadCheck[] | null = null

  if (selected.has("verify")) {
    await record(sections, failures, machine, "verify", {}, async () => runVerifyPhase())
  }
  if ([...selected].some((phase) => phase !== "verify")) {
    loadChecks = await withStore(config, async (ctx) => {
      const checks = await prepareStore(ctx)
      const phases: Array<[PhaseName, Record<string, unknown>, () => Promise<PhaseResults[PhaseName]>]> = [
        [
          "stages",
          {},
          () => runStagesPhase(ctx.store, { sessionId: ctx.pool.sessionIds[0], template: ctx.pool.templates[0], secret: ctx.secret }),
        ],
        [
          "ack",
          {
            n: config.n,
            concurrency: config.concurrency,
            rounds: config.cpuProfile ? 1 : config.rounds,
            poolSessions: config.pool,
            cpuProfiled: config.cpuProfile,
          },
          () => runAckPhase(ctx),
        ],
        [
          "delivery",
          { carts: config.carts, eventBus: "Medusa's in-memory (local) event bus", extraRunConcurrency: config.deliveryConcurrency },
          () => runDeliveryPhase(ctx),
        ],
        [
          "inbox",
          {
            rows: [0, ...config.inboxRows],
            requestsPerRoute: config.inboxN,
            adminReads: config.adminReads,
            adminOrders: config.adminOrders,
          },
          () => runInboxPhase(ctx),
        ],
        ["topology", { carts: config.topologyCarts, n: config.inboxN }, () => runTopologyPhase(ctx)],
      ]
      for (const [phase, settings, run] of phases) {
        if (selected.has(phase)) {
          await record(sections, failures, machine, phase, settings, run)
        }
      }
      return checks
    })
  }

  const fullRun = config.only
    ? null
    : { startedAt: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), machine }
  const results = mergeResults(readResults(), { sections, loadChecks, fullRun, failures }, checkTargets)
  const file = writeResults(results)
  const markdown = writeMarkdown(results)
  const readme = updateReadmeBlock(renderMarkdown(results))
    ? ", and bench/README.md's block"
    : " (bench/README.md has no bench markers: its block is unchanged)"
  console.log(
    `\n${renderMarkdown(results)}\nWritten to ${file.slice(REPO_ROOT.length + 1)} and ${markdown.slice(REPO_ROOT.length + 1)}${readme}`,
  )
  return Object.keys(failures).length === 0
}

/** Builds the package (unless --skip-build), writes the store project, creates the store, and runs `work` with it. */
async function withStore<T>(config: ReturnType<typeof readConfig>, work: (ctx: StoreContext) => Promise<T>): Promise<T> {
  if (!config.skipBuild) {
    step("npm run build")
    const build = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, encoding: "utf8" })
    if (build.status !== 0) {
      throw new Error(`npm run build failed:\n${(build.stdout + build.stderr).slice(-3000)}`)
    }
  }
  const cwd = writeStoreProject()
  step("Store project written to bench/.store (the built package installed, no src/)")
  const fake = new FakeStripe()
  await fake.start()
  const store = await StoreProcess.create(
    "mpw_bench",
    { STRIPE_API_KEY: "sk_test_bench", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE_URL: fake.url, LOG_LEVEL: "info" },
    { cwd, seedScript: SEED_SCRIPT },
  )
  let cleaned: Promise<void> | undefined
  const cleanup = () =>
    (cleaned ??= (async () => {
      killChildren()
      await stopAllMembers()
      await store.destroy().catch((error: unknown) => console.error(`Could not drop ${store.databaseName}: ${String(error)}`))
      await fake.stop()
    })())
  // Interrupted (Ctrl-C, a supervisor's SIGTERM): stop the store, drop its database, then leave.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143)))
  }
  try {
    step(`Database ${store.databaseName}: migrating (the plugin's migration included), seeding`)
    await store.migrate()
    const seeded = await store.seed()
    await store.start(90_000, STARTS.checks)
    const pool = await createAckPool(store.url, seeded, fake, config.pool)
    return await work({ config, store, fake, seeded, pool, secret: WEBHOOK_SECRET, step })
  } catch (error) {
    console.error(store.log.split("\n").slice(-40).join("\n"))
    throw error
  } finally {
    await cleanup()
  }
}

/** Proves the store runs the plugin from the built package; leaves it stopped. */
async function prepareStore(ctx: StoreContext): Promise<LoadCheck[]> {
  const checks = await checkPluginLoaded(ctx.store, ctx.pool.templates[0], ctx.secret)
  for (const check of checks) {
    step(`${check.ok ? "ok  " : "FAIL"} ${check.name} — ${check.detail}`)
  }
  if (checks.some((check) => !check.ok)) {
    throw new Error("The store does not run the plugin from the built package")
  }
  await ctx.store.stop("SIGKILL")
  return checks
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  },
)
