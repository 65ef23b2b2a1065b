import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "pg"
import { runCommand } from "./run-command"
import type { SeededStore } from "./seed"

const ROOT = join(__dirname, "..", "..")
const MEDUSA_BIN = join(ROOT, "node_modules", ".bin", "medusa")

/** Where PostgreSQL is: `DATABASE_URL` (its database is replaced per store), else the local server. */
export function serverUrl(): URL {
  const url = new URL(process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres")
  url.pathname = "/postgres"
  return url
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Where a store lives. By default the repo itself (its `medusa-config.ts`, `scripts/seed-store.ts`);
 * another project directory (with its own `medusa-config.js`) runs the same way, e.g. a store that
 * installs the built package.
 */
export type StoreProcessOptions = {
  /** Project directory the Medusa CLI runs in (its `medusa-config` is the store's config). Default: the repo. */
  cwd?: string
  /** The `medusa exec` script that seeds the store, relative to `cwd` or absolute. Default: `./scripts/seed-store.ts`. */
  seedScript?: string
}

/** Runs a Medusa CLI command in `cwd` with `env`; rejects with its output's tail if it fails. */
async function runMedusa(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  const run = await runCommand(MEDUSA_BIN, args, { cwd, env })
  if (run.code !== 0) {
    throw new Error(`medusa ${args.join(" ")} exited ${run.code}:\n${(run.stdout + run.stderr).slice(-4000)}`)
  }
}

/**
 * A real store process (`medusa start` on this repo's config, or on another project directory's),
 * on a database of its own: what the demo runs, what the crash tests kill and restart, and what
 * the benchmark loads.
 */
export class StoreProcess {
  private child?: ChildProcess
  private logTail = ""
  readonly port: number
  readonly databaseUrl: string
  /** The project directory the Medusa CLI runs in. */
  readonly cwd: string
  private readonly seedScript: string
  seeded?: SeededStore & { adminSecret: string }

  private constructor(
    readonly databaseName: string,
    port: number,
    private readonly extraEnv: NodeJS.ProcessEnv,
    options: StoreProcessOptions = {},
  ) {
    const url = serverUrl()
    url.pathname = `/${databaseName}`
    this.databaseUrl = url.toString()
    this.port = port
    this.cwd = options.cwd ?? ROOT
    this.seedScript = options.seedScript ?? "./scripts/seed-store.ts"
  }

  /** Checks PostgreSQL answers; throws a one-line reason otherwise. */
  static async assertDatabaseReachable(): Promise<void> {
    const client = new Client({ connectionString: serverUrl().toString(), connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(`PostgreSQL is not reachable at ${serverUrl().host} (${reason}). Start it, or set DATABASE_URL.`)
    } finally {
      await client.end().catch(() => undefined)
    }
  }

  /** Creates a fresh database for a store (then `migrate()`, `seed()`, `start()`); `options` picks another project directory. */
  static async create(name: string, env: NodeJS.ProcessEnv, options: StoreProcessOptions = {}): Promise<StoreProcess> {
    const store = new StoreProcess(`${name}_${Date.now()}`, await freePort(), env, options)
    await store.admin(`CREATE DATABASE "${store.databaseName}"`)
    return store
  }

  /**
   * Another process of this store (same database, seed and project directory) on a port of its own,
   * with `env` added: the servers and the worker of a split deployment. Stop it; `destroy()` the original.
   */
  async sibling(env: NodeJS.ProcessEnv): Promise<StoreProcess> {
    const sibling = new StoreProcess(
      this.databaseName,
      await freePort(),
      { ...this.extraEnv, ...env },
      { cwd: this.cwd, seedScript: this.seedScript },
    )
    sibling.seeded = this.seeded
    return sibling
  }

  /** Environment of every Medusa command this store runs. */
  env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.extraEnv,
      DATABASE_URL: this.databaseUrl,
      PORT: String(this.port),
      NODE_ENV: "development",
      MEDUSA_DISABLE_TELEMETRY: "true",
      DO_NOT_TRACK: "1",
    }
  }

  /** `medusa db:migrate`. */
  async migrate(): Promise<void> {
    await runMedusa(["db:migrate"], this.env(), this.cwd)
  }

  /** Seeds markets, a product and an admin secret through `medusa exec`. */
  async seed(): Promise<SeededStore & { adminSecret: string }> {
    const dir = mkdtempSync(join(tmpdir(), "mpw-seed-"))
    try {
      const out = join(dir, "seeded.json")
      await this.exec(this.seedScript, [out])
      this.seeded = JSON.parse(readFileSync(out, "utf8"))
      return this.seeded!
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  /** `medusa exec <script> …args` on this store's database (its own process, not the server's). */
  async exec(script: string, args: string[] = []): Promise<void> {
    await runMedusa(["exec", script, ...args], this.env(), this.cwd)
  }

  /** Base URL of the running store. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Starts `medusa start` and resolves once `/health` answers; `env` adds variables for this start only. */
  async start(timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<void> {
    const child = spawn(MEDUSA_BIN, ["start"], {
      cwd: this.cwd,
      env: { ...this.env(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    })
    this.child = child
    const keep = (chunk: Buffer) => (this.logTail = (this.logTail + chunk).slice(-8000))
    child.stdout?.on("data", keep)
    child.stderr?.on("data", keep)
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`medusa start exited ${child.exitCode}:\n${this.logTail}`)
      }
      const ok = await fetch(`${this.url}/health`).then(
        (response) => response.ok,
        () => false,
      )
      if (ok) {
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    throw new Error(`medusa start did not answer /health within ${timeoutMs} ms:\n${this.logTail}`)
  }

  /** Process id of the running `medusa start` (the leader of its process group), if running. */
  get pid(): number | undefined {
    const child = this.child
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined
  }

  /** The last lines the store printed (for failure messages). */
  get log(): string {
    return this.logTail
  }

  /** Stops the store: SIGTERM for a clean stop, SIGKILL to simulate a crash. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    const exited = new Promise((resolve) => child.once("exit", resolve))
    // The CLI forks the server: signal the whole process group so nothing is left listening.
    try {
      process.kill(-child.pid!, signal)
    } catch {
      child.kill(signal)
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
    this.child = undefined
  }

  /** Stops the store and drops its database. */
  async destroy(): Promise<void> {
    await this.stop("SIGKILL")
    await this.admin(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`)
  }

  private async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: serverUrl().toString() })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
}
