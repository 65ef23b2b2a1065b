import { z } from "zod"
import type { HistoryProcess } from "../../modules/payment-webhooks/history"

/** What a timeline entry tells of. */
export type TimelineKind = "received" | "delivered_again" | "attempt" | "retry_scheduled" | "processed" | "ignored" | "failed" | "replay_requested"

/** One moment of a delivery's life, as the admin's detail shows it. */
export type TimelineEntry = {
  at: string
  kind: TimelineKind
  attempt?: number
  /** On an attempt: the error it ended with (also on its `retry_scheduled` or `failed` entry). */
  error?: string
  outcome?: Record<string, unknown>
  /** The process that wrote the entry (worker mode, pid, host): where the processor ran. */
  process?: HistoryProcess
  /** On `delivered_again`: how many deliveries arrived together. */
  count?: number
}

const storedEntry = z.looseObject({
  at: z.string(),
  kind: z.enum(["delivered_again", "attempt", "retry_scheduled", "processed", "ignored", "failed", "replay_requested"]),
  attempt: z.number().int().optional(),
  error: z.string().optional(),
  outcome: z.record(z.string(), z.unknown()).optional(),
  process: z.looseObject({ kind: z.string(), pid: z.number(), host: z.string() }).optional(),
  count: z.number().int().optional(),
})

/** The row's facts the timeline is made from. */
export type TimelineSource = {
  received_at: Date | string
  processed_at: Date | string | null
  status: string
  last_error: string | null
  outcome: Record<string, unknown> | null
  history: unknown
}

const iso = (value: Date | string) => new Date(value).toISOString()

/** The stored entries that can be read (an entry of another shape is left out rather than failing the page). */
function storedEntries(history: unknown): TimelineEntry[] {
  if (!Array.isArray(history)) {
    return []
  }
  return history.flatMap((item): TimelineEntry[] => {
    const parsed = storedEntry.safeParse(item)
    if (!parsed.success || Number.isNaN(Date.parse(parsed.data.at))) {
      return []
    }
    const { at, kind, attempt, error, outcome, process, count } = parsed.data
    return [{
      at: iso(at), kind,
      ...(attempt !== undefined ? { attempt } : {}), ...(error ? { error } : {}), ...(outcome ? { outcome } : {}),
      ...(process ? { process: { kind: process.kind, pid: process.pid, host: process.host } } : {}), ...(count !== undefined ? { count } : {}),
    }]
  })
}

/**
 * A delivery's timeline, oldest first: its first receipt, then what its `history` recorded. Each
 * attempt carries the error (or outcome) its processing ended with, so a person reads "attempt 2:
 * Stripe was unavailable" on one line. A row settled before histories were kept shows its verdict alone.
 */
export function timelineOf(row: TimelineSource): TimelineEntry[] {
  const entries = storedEntries(row.history)
  if (!entries.length && row.processed_at && row.status !== "received") {
    entries.push({
      at: iso(row.processed_at), kind: row.status as TimelineKind,
      ...(row.last_error ? { error: row.last_error } : {}), ...(row.outcome ? { outcome: row.outcome } : {}),
    })
  }
  let open: TimelineEntry | undefined
  for (const entry of entries) {
    if (entry.kind === "attempt") {
      open = entry
    } else if (open && (entry.kind === "retry_scheduled" || entry.kind === "failed" || entry.kind === "processed" || entry.kind === "ignored")) {
      if (entry.error) {
        open.error = entry.error
      }
      if (entry.outcome) {
        open.outcome = entry.outcome
      }
      open = undefined
    } else if (entry.kind === "replay_requested") {
      open = undefined
    }
  }
  const received: TimelineEntry = { at: iso(row.received_at), kind: "received" }
  // Stable: entries written in the same transaction keep their order.
  return [received, ...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}
