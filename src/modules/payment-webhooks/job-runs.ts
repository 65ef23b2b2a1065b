import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { storableText } from "./storable-text"
import { JOB_RUN_TABLE } from "./tables"

/** The process that runs a pass: its Medusa worker mode, host and pid. */
export type JobProcess = { kind: string; host: string; pid: number }

/** A job's heartbeat as the health check reads it; ages are by the database's clock, in seconds. */
export type JobRunRow = {
  id: string
  started_at: Date
  finished_at: Date | null
  process_kind: string
  host: string
  pid: number
  interval_ms: number
  duration_ms: number | null
  summary: Record<string, unknown> | null
  last_error: string | null
  /** Seconds since the latest pass ended; null until one has. */
  finished_age_seconds: number | null
  /** Seconds since the latest pass started. */
  started_age_seconds: number
}

/** Notes that a pass of `job` starts on this process; the previous pass's results stay until this one ends. */
export async function noteJobStarted(manager: SqlEntityManager, job: string, runner: JobProcess, intervalMs: number): Promise<void> {
  await manager.execute(
    `INSERT INTO ${JOB_RUN_TABLE} (id, started_at, process_kind, host, pid, interval_ms, created_at, updated_at)
     VALUES (?, now(), ?, ?, ?, ?, now(), now())
     ON CONFLICT (id) DO UPDATE
     SET started_at = now(), process_kind = EXCLUDED.process_kind, host = EXCLUDED.host, pid = EXCLUDED.pid,
         interval_ms = EXCLUDED.interval_ms, updated_at = now(), deleted_at = NULL`,
    [job, runner.kind, runner.host, runner.pid, intervalMs],
  )
}

/**
 * Notes that a pass of `job` ended on this process, with what it did or why it failed. The process
 * is written again: had two processes run the job at once, the row names the one that ended last.
 */
export async function noteJobFinished(
  manager: SqlEntityManager,
  job: string,
  runner: JobProcess,
  pass: { intervalMs: number; durationMs: number; summary: Record<string, unknown> | null; error: string | null },
): Promise<void> {
  await manager.execute(
    `INSERT INTO ${JOB_RUN_TABLE} (id, started_at, finished_at, process_kind, host, pid, interval_ms, duration_ms, summary, last_error, created_at, updated_at)
     VALUES (?, now() - make_interval(secs => ? / 1000.0), now(), ?, ?, ?, ?, ?, ?::jsonb, ?, now(), now())
     ON CONFLICT (id) DO UPDATE
     SET finished_at = now(), process_kind = EXCLUDED.process_kind, host = EXCLUDED.host, pid = EXCLUDED.pid,
         interval_ms = EXCLUDED.interval_ms, duration_ms = EXCLUDED.duration_ms, summary = EXCLUDED.summary,
         last_error = EXCLUDED.last_error, updated_at = now(), deleted_at = NULL`,
    [
      job,
      pass.durationMs,
      runner.kind,
      runner.host,
      runner.pid,
      pass.intervalMs,
      Math.round(pass.durationMs),
      pass.summary ? JSON.stringify(pass.summary) : null,
      pass.error === null ? null : storableText(pass.error.slice(0, 500)),
    ],
  )
}

/** The heartbeat of `job`, or null if it never ran against this database. */
export async function readJobRun(manager: SqlEntityManager, job: string): Promise<JobRunRow | null> {
  const rows = await manager.execute<JobRunRow[]>(
    `SELECT id, started_at, finished_at, process_kind, host, pid, interval_ms, duration_ms, summary, last_error,
            EXTRACT(EPOCH FROM now() - finished_at)::float8 AS finished_age_seconds,
            EXTRACT(EPOCH FROM now() - started_at)::float8 AS started_age_seconds
     FROM ${JOB_RUN_TABLE} WHERE id = ? AND deleted_at IS NULL`,
    [job],
  )
  return rows[0] ?? null
}
