/** The phases of `npm run bench`, in the order a full run takes them. */
export const PHASES = ["verify", "stages", "ack", "delivery", "inbox", "topology"] as const

/** One phase. */
export type PhaseName = (typeof PHASES)[number]

/** Settings of `npm run bench`, from `--name=value` arguments or `BENCH_*` variables. */
export type BenchConfig = {
  /** Webhooks per ack run (`--n`, BENCH_N; default 5000). */
  n: number
  /** Concurrencies of the ack runs (`--concurrency=32,128`, BENCH_CONCURRENCY). */
  concurrency: number[]
  /** Carts of the webhooks-to-orders phase (`--m`, BENCH_M; default 300). */
  carts: number
  /** Rounds the plugin's and Medusa's ack runs are interleaved in (`--rounds`, BENCH_ROUNDS; default 4). */
  rounds: number
  /** Sessions the ack events name (`--pool`, BENCH_POOL; default 8). */
  pool: number
  /** Skip `npm run build` and use the build already in `.medusa/server` (`--skip-build`, BENCH_SKIP_BUILD=1). */
  skipBuild: boolean
  /** Time the hot path's steps in the store's container (`--no-stages` or BENCH_STAGES=0 to skip). */
  stages: boolean
  /**
   * CPU-profile the store during each ack run (`--cpu-profile`, BENCH_CPU_PROFILE=1): profiles go to
   * bench/.profiles/ and a summary is printed; the figures then include the profiler's overhead.
   */
  cpuProfile: boolean
  /**
   * The delivery phase's burst goes to Medusa's route first (`--medusa-first`, BENCH_MEDUSA_FIRST=1):
   * alternated between runs, so neither route always gets the colder store.
   */
  medusaFirst: boolean
  /**
   * Run one phase (`--only <phase>` or `--only=<phase>`, BENCH_ONLY; `--ack-only` is `--only ack`), for
   * quick turns: its section of results.json (with the machine it ran on) is replaced, the others kept.
   */
  only: PhaseName | null
  /** Inbox sizes the growth phase measures at besides empty (`--inbox-rows=100000,1000000`, BENCH_INBOX_ROWS). */
  inboxRows: number[]
  /** Requests per route at each inbox size (`--inbox-n`, BENCH_INBOX_N; default 3000); also the acks of each topology. */
  inboxN: number
  /** Sequential requests of each admin read at each inbox size, after 5 warm-ups (`--admin-reads`, BENCH_ADMIN_READS; default 100). */
  adminReads: number
  /**
   * Orders whose view is read once each at each inbox size, so that every read asks the PSP
   * (`--admin-orders`, BENCH_ADMIN_ORDERS; default 40): the phase places this many per size, and a few more.
   */
  adminOrders: number
  /**
   * The processor's `concurrency` for the delivery phase's extra run of the plugin (information: what
   * moves orders/s), `--delivery-concurrency` (BENCH_DELIVERY_CONCURRENCY; default 16; 0 skips it).
   */
  deliveryConcurrency: number
  /** Carts of each topology's burst (`--topology-carts`, BENCH_TOPOLOGY_CARTS; default 100). */
  topologyCarts: number
  /**
   * Orders per route the delivery phase then places one at a time, its server stopped, timing each
   * step of each (`--order-steps`, BENCH_ORDER_STEPS; default 40, the first 8 uncounted; 0 skips it).
   */
  orderSteps: number
}

function option(name: string, argv: readonly string[]): string | undefined {
  const spaced = argv.indexOf(`--${name}`)
  if (spaced >= 0 && argv[spaced + 1] !== undefined && !argv[spaced + 1].startsWith("--")) {
    return argv[spaced + 1]
  }
  const flag = argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  if (flag) {
    return flag.includes("=") ? flag.slice(flag.indexOf("=") + 1) : "1"
  }
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`]
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") {
    return fallback
  }
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(`--${name} must be a positive integer (got ${value})`)
  }
  return parsed
}

function onlyPhase(value: string | undefined): PhaseName | null {
  if (value === undefined || value === "") {
    return null
  }
  const phase = PHASES.find((name) => name === value)
  if (!phase) {
    throw new Error(`--only must be one of ${PHASES.join(", ")} (got ${value})`)
  }
  return phase
}

/** Reads the settings. */
export function readConfig(argv: readonly string[] = process.argv.slice(2)): BenchConfig {
  const concurrency = (option("concurrency", argv) ?? "32,128").split(",").map((value) => positiveInt(value.trim(), 32, "concurrency"))
  return {
    n: positiveInt(option("n", argv), 5000, "n"),
    concurrency,
    carts: positiveInt(option("m", argv), 300, "m"),
    pool: positiveInt(option("pool", argv), 8, "pool"),
    rounds: positiveInt(option("rounds", argv), 4, "rounds"),
    skipBuild: option("skip-build", argv) === "1",
    stages: !argv.includes("--no-stages") && option("stages", argv) !== "0",
    cpuProfile: option("cpu-profile", argv) === "1",
    medusaFirst: option("medusa-first", argv) === "1",
    only: onlyPhase(option("ack-only", argv) === "1" ? "ack" : option("only", argv)),
    inboxRows: (option("inbox-rows", argv) ?? "100000,1000000").split(",").map((value) => positiveInt(value.trim(), 100_000, "inbox-rows")),
    inboxN: positiveInt(option("inbox-n", argv), 3000, "inbox-n"),
    adminReads: positiveInt(option("admin-reads", argv), 100, "admin-reads"),
    adminOrders: positiveInt(option("admin-orders", argv), 40, "admin-orders"),
    deliveryConcurrency:
      option("delivery-concurrency", argv) === "0" ? 0 : positiveInt(option("delivery-concurrency", argv), 16, "delivery-concurrency"),
    topologyCarts: positiveInt(option("topology-carts", argv), 100, "topology-carts"),
    orderSteps: option("order-steps", argv) === "0" ? 0 : positiveInt(option("order-steps", argv), 40, "order-steps"),
  }
}
