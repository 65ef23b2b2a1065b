import { Text } from "@medusajs/ui"
import type { BulkReplayRun } from "../../types/admin-api"

/** What a bulk replay did so far, in one line (e.g. "processed 3, failed 1"). */
export function describeRun(run: BulkReplayRun): string {
  const parts = Object.entries(run.results)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
  if (run.not_replayable) {
    parts.push(`not replayable ${run.not_replayable}`)
  }
  return parts.length ? parts.join(", ") : run.status === "running" ? "nothing yet" : "nothing to do"
}

/** Where the run stands, in words. */
function headline(run: BulkReplayRun): string {
  const of = `${run.taken} of ${run.total}`
  switch (run.status) {
    case "running":
      return `Replaying… ${of} taken`
    case "done":
      return `Replayed ${run.taken} ${run.taken === 1 ? "delivery" : "deliveries"}`
    case "failed":
      return `Stopped on an error after ${of}: ${run.last_error ?? "unknown error"}`
    case "cancelled":
      return `Stopped after ${of}`
  }
}

/**
 * A bulk replay run as it goes: rows taken of the total (a bar), what became of them, and once it ended
 * its final counts. The counts come from the run's record, which its process writes after each batch.
 */
export function ReplayRunProgress({ run }: { run: BulkReplayRun }) {
  // A row that turned failed after the count (its retries ran out) is replayed too: `taken` may pass the total.
  const share = run.status === "done" ? 1 : run.total ? Math.min(run.taken / run.total, 1) : 0
  return (
    <div
      className="flex flex-col gap-y-2"
      data-testid="bulk-replay-progress"
      data-status={run.status}
      data-taken={run.taken}
      data-total={run.total}
    >
      <Text size="small">{headline(run)}</Text>
      <div className="bg-ui-bg-switch-off h-2 w-full overflow-hidden rounded-full">
        <div
          className={run.status === "failed" ? "bg-ui-tag-red-icon h-2" : "bg-ui-fg-interactive h-2 transition-[width]"}
          style={{ width: `${Math.round(share * 100)}%` }}
        />
      </div>
      {run.status === "running" ? (
        <Text size="small" className="text-ui-fg-subtle">
          {describeRun(run)}. Live deliveries go on meanwhile; you may close this, the replay continues.
        </Text>
      ) : (
        <Text size="small" data-testid="bulk-replay-result" data-status={run.status}>
          {describeRun(run)}.
        </Text>
      )}
    </div>
  )
}
