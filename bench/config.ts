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
   * Run only the ack runs (`--ack-only`, BENCH_ACK_ONLY=1), for quick turns on the hot path: each
   * run's line is printed, but no table and no results.json, which always hold every phase.
   */
  ackOnly: boolean
}

function option(name: string, argv: readonly string[]): string | undefined {
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
    ackOnly: option("ack-only", argv) === "1",
  }
}
