import { readdirSync, readFileSync } from "node:fs"
import { processTree } from "./rss"

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100

/** CPU time (user + system, ms) of one process so far; 0 if it is gone. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/** Every PostgreSQL server process (the backends serve the store's pool). */
function postgresPids(): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres"
      } catch {
        return false
      }
    })
    .map(Number)
}

/** CPU time spent by the store and by PostgreSQL over a window. */
export type CpuSpent = { storeMs: number; postgresMs: number }

/**
 * Measures the CPU the store's process tree and the PostgreSQL server spend between `start` and
 * `stop`: on a shared 2-core machine, what a route costs the machine per request, whatever the
 * other processes did to its latency. Backends that end within the window are not counted.
 */
export class CpuMeter {
  private store: Map<number, number> = new Map()
  private postgres: Map<number, number> = new Map()

  constructor(private readonly rootPid: number) {}

  start(): this {
    this.store = new Map(processTree(this.rootPid).map((pid) => [pid, cpuMs(pid)]))
    this.postgres = new Map(postgresPids().map((pid) => [pid, cpuMs(pid)]))
    return this
  }

  stop(): CpuSpent {
    const spent = (before: Map<number, number>, pids: number[]) => pids.reduce((sum, pid) => sum + Math.max(0, cpuMs(pid) - (before.get(pid) ?? 0)), 0)
    return { storeMs: spent(this.store, processTree(this.rootPid)), postgresMs: spent(this.postgres, postgresPids()) }
  }
}
