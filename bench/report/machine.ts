import { cpus, loadavg, release, totalmem } from "node:os"
import { Client } from "pg"
import { serverUrl } from "../../integration-tests/support/store-process"

/** Where the benchmark ran. */
export type Machine = {
  cpu: string
  cores: number
  memoryGiB: number
  kernel: string
  node: string
  postgres: string
  /** 1-minute load average when the run started and ended (other processes share the cores). */
  loadAverage: { start: number; end?: number }
}

/** Describes this machine and its PostgreSQL. */
export async function describeMachine(): Promise<Machine> {
  const db = new Client({ connectionString: serverUrl().toString() })
  await db.connect()
  try {
    const { rows } = await db.query<{ server_version: string }>("SHOW server_version")
    return {
      cpu: cpus()[0]?.model.trim() ?? "unknown",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      kernel: `Linux ${release()}`,
      node: process.version,
      postgres: `PostgreSQL ${rows[0]?.server_version ?? "?"}`,
      loadAverage: { start: currentLoad() },
    }
  } finally {
    await db.end()
  }
}

/** The current 1-minute load average. */
export function currentLoad(): number {
  return Math.round(loadavg()[0] * 100) / 100
}
