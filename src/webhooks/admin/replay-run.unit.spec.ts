import type { RequeueResult } from "../../modules/payment-webhooks/claim-statements"
import {
  noReplayResults,
  type ReplayRunClaim,
  type ReplayRunEnding,
  type ReplayRunProgress,
  type ReplayRunRow,
} from "../../modules/payment-webhooks/replay-runs"
import type { InboxStatus } from "../../modules/payment-webhooks/types"
import { RecordingLogger } from "../../testing/recording-logger"
import type { ProcessResult } from "../processor/result"
import { driveReplayRun, REPLAY_CONCURRENCY, type ReplayRunPorts } from "./replay-run"

/** One inbox row as the fake holds it. */
type FakeRow = { id: string; status: InboxStatus; body: boolean; result?: ProcessResult["status"] | Error }

/** The run's rows and its record in memory, with the real rules: rows after the cursor in order, requeue only of the picked status, writes only while held. */
class FakeRunStore {
  readonly written: ReplayRunProgress[] = []
  ended: ReplayRunEnding | null = null
  held = true
  /** Concurrent processings now, and the most seen at once. */
  working = 0
  mostAtOnce = 0

  constructor(readonly rows: FakeRow[]) {}

  ports(batchSize: number): ReplayRunPorts {
    return {
      candidates: async (after) => {
        const from = after === undefined ? 0 : this.rows.findIndex((row) => row.id === after) + 1
        return this.rows
          .slice(from)
          .filter((row) => row.status === "failed")
          .slice(0, batchSize)
          .map((row) => ({ id: row.id, replayable: row.body }))
      },
      inbox: {
        requeue: async (id, options): Promise<RequeueResult> => {
          const row = this.rows.find((candidate) => candidate.id === id)
          if (!row) {
            return "missing"
          }
          if (!row.body) {
            return "no_body"
          }
          if (options?.expectedStatus && row.status !== options.expectedStatus) {
            return "changed"
          }
          row.status = "received"
          return "requeued"
        },
      },
      runs: {
        noteAlive: async (_claim, progress) => {
          if (progress && this.held) {
            this.written.push(structuredClone(progress))
          }
          return this.held
        },
        finish: async (claim, ending) => {
          if (!this.held) {
            return null
          }
          this.ended = structuredClone(ending)
          return { ...claim.run, ...ending, status: ending.status }
        },
      },
      process: async (id) => {
        this.working++
        this.mostAtOnce = Math.max(this.mostAtOnce, this.working)
        await new Promise((resolve) => setTimeout(resolve, 5))
        this.working--
        const row = this.rows.find((candidate) => candidate.id === id)
        if (row?.result instanceof Error) {
          throw row.result
        }
        const status = row?.result ?? "processed"
        if (row) {
          row.status = status === "retrying" ? "received" : status === "processed" || status === "ignored" ? status : "failed"
        }
        return { status }
      },
      logger: new RecordingLogger(),
    }
  }
}

function claimOf(batchSize: number, progress: Partial<ReplayRunProgress> = {}): ReplayRunClaim {
  const run: ReplayRunRow = {
    id: "pwhrpl_1",
    status: "running",
    filter_status: "failed",
    filter_since: new Date(0),
    filter_until: new Date(),
    filter_provider: null,
    batch_size: batchSize,
    cursor: null,
    total: 0,
    results: noReplayResults(),
    not_replayable: 0,
    requested_by: null,
    heartbeat_at: new Date(),
    finished_at: null,
    last_error: null,
    created_at: new Date(),
    updated_at: new Date(),
    ...progress,
  }
  return { run, token: "token-1" }
}

const failedRows = (n: number): FakeRow[] =>
  Array.from({ length: n }, (_, i) => ({ id: `pwhevt_${String(i + 1).padStart(2, "0")}`, status: "failed", body: true }))

describe("driveReplayRun", () => {
  it("takes every matching row in batches, a few at a time, writes the cursor and counts after each batch, and ends done", async () => {
    const rows = failedRows(5)
    rows[1].result = "failed"
    rows[3].body = false
    const store = new FakeRunStore(rows)
    await driveReplayRun(store.ports(2), claimOf(2))
    expect(store.written.map((progress) => progress.cursor)).toEqual(["pwhevt_02", "pwhevt_04", "pwhevt_05"])
    expect(store.ended).toEqual({
      status: "done",
      error: null,
      cursor: "pwhevt_05",
      not_replayable: 1,
      results: { ...noReplayResults(), processed: 3, failed: 1 },
    })
    // The row that failed again stays behind the cursor: the run never takes it twice.
    expect(rows[1].status).toBe("failed")
    expect(store.mostAtOnce).toBeLessThanOrEqual(REPLAY_CONCURRENCY)
  })

  it("counts a row settled by another processor meanwhile as skipped, and leaves it as it is", async () => {
    const rows = failedRows(2)
    const store = new FakeRunStore(rows)
    const ports = store.ports(10)
    const candidates = ports.candidates
    ports.candidates = async (after) => {
      const found = await candidates(after)
      rows[0].status = "processed"
      return found
    }
    await driveReplayRun(ports, claimOf(10))
    expect(store.ended?.results).toMatchObject({ processed: 1, skipped: 1 })
    expect(rows[0].status).toBe("processed")
  })

  it("continues a resumed run after its cursor, with the counts it had", async () => {
    const rows = failedRows(4)
    const store = new FakeRunStore(rows)
    await driveReplayRun(store.ports(10), claimOf(10, { cursor: "pwhevt_02", results: { ...noReplayResults(), processed: 2 } }))
    expect(rows.map((row) => row.status)).toEqual(["failed", "failed", "processed", "processed"])
    expect(store.ended).toMatchObject({ status: "done", cursor: "pwhevt_04", results: { processed: 4 } })
  })

  it("stops, writing nothing more, once its claim no longer holds (cancelled or taken over)", async () => {
    const rows = failedRows(6)
    const store = new FakeRunStore(rows)
    const ports = store.ports(2)
    const noteAlive = ports.runs.noteAlive
    ports.runs.noteAlive = async (claim, progress) => {
      const held = await noteAlive(claim, progress)
      // A person cancels the run once its first batch is written.
      store.held = false
      return held
    }
    await driveReplayRun(ports, claimOf(2))
    expect(store.written).toHaveLength(1)
    expect(store.ended).toBeNull()
    expect(rows.filter((row) => row.status === "processed")).toHaveLength(4)
  })

  it("ends failed, with the error and the batch it reached, when a row's processing throws", async () => {
    const rows = failedRows(3)
    rows[1].result = new Error("connection terminated")
    const store = new FakeRunStore(rows)
    await driveReplayRun(store.ports(2), claimOf(2))
    expect(store.ended).toMatchObject({ status: "failed", error: "connection terminated", cursor: "pwhevt_02" })
    expect(rows[2].status).toBe("failed")
  })
})
