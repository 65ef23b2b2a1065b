import { readFileSync } from "node:fs"
import { Client } from "pg"
import { processTree } from "./rss"

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100

/** `application_name` of the benchmark's own connections, whose backends are not the store's cost. */
export const BENCH_APPLICATION_NAME = "mpw-bench"

/** CPU time (user + system, ms) of one process so far; 0 if it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/**
 * PostgreSQL backends serving `databaseName` (pg_stat_activity), the benchmark's own connections
 * left out: what the store's pool costs PostgreSQL, not what other databases on the server do.
 */
export async function databaseBackends(adminUrl: string, databaseName: string): Promise<number[]> {
  const db = new Client({ connectionString: adminUrl, application_name: BENCH_APPLICATION_NAME })
  await db.connect()
  try {
    const { rows } = await db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND coalesce(application_name, '') <> $2 AND pid <> pg_backend_pid()",
      [databaseName, BENCH_APPLICATION_NAME],
    )
    return rows.map((row) => row.pid)
  } finally {
    await db.end()
  }
}

/** CPU time spent by the store's processes and by PostgreSQL's backends of its database over a window. */
export type CpuSpent = { storeMs: number; postgresMs: number }

/** Where to look: the store's root processes (each with its descendants) and its database. */
export type CpuScope = { rootPids: number[]; adminUrl: string; databaseName: string }

/**
 * Measures the CPU the store's process trees and the PostgreSQL backends of its database spend
 * between `start` and `stop`: on a shared 2-core machine, what the work costs the machine, whatever
 * the other processes did to its latency. A backend that connected within the window counts
 * whole; one that ended within it is not counted.
 */
export class CpuMeter {
  private store: Map<number, number> = new Map()
  private postgres: Map<number, number> = new Map()

  constructor(private readonly scope: CpuScope) {}

  private storePids(): number[] {
    return [...new Set(this.scope.rootPids.flatMap((pid) => processTree(pid)))]
  }

  async start(): Promise<this> {
    this.store = new Map(this.storePids().map((pid) => [pid, cpuMs(pid)]))
    const backends = await databaseBackends(this.scope.adminUrl, this.scope.databaseName)
    this.postgres = new Map(backends.map((pid) => [pid, cpuMs(pid)]))
    return this
  }

  async stop(): Promise<CpuSpent> {
    const storeMs = spent(this.store, this.storePids())
    const backends = await databaseBackends(this.scope.adminUrl, this.scope.databaseName)
    return { storeMs, postgresMs: spent(this.postgres, backends) }
  }
}

function spent(before: Map<number, number>, pids: number[]): number {
  return pids.reduce((sum, pid) => sum + Math.max(0, cpuMs(pid) - (before.get(pid) ?? 0)), 0)
}
