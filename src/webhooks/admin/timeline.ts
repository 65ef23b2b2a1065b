import { z } from "zod"
import type { HistoryEntry, HistoryKind } from "../../modules/payment-webhooks/history"
import type { PaymentWebhookStatus, PaymentWebhookTimelineEntry } from "../../types/admin-api"

/** Every stored kind, once: a kind added to the contract's timeline fails to compile here until it is read. */
const STORED_KINDS: { [Kind in HistoryKind]: Kind } = {
  delivered_again: "delivered_again",
  attempt: "attempt",
  retry_scheduled: "retry_scheduled",
  processed: "processed",
  ignored: "ignored",
  failed: "failed",
  replay_requested: "replay_requested",
  settled_by_person: "settled_by_person",
}

const storedEntry: z.ZodType<HistoryEntry> = z.looseObject({
  at: z.string(),
  kind: z.enum(STORED_KINDS),
  attempt: z.number().int().optional(),
  error: z.string().optional(),
  outcome: z.record(z.string(), z.unknown()).optional(),
  process: z.looseObject({ kind: z.string(), pid: z.number(), host: z.string() }).optional(),
  count: z.number().int().optional(),
  note: z.string().optional(),
  actor: z.string().optional(),
})

/** The row's facts the timeline is made from. */
export type TimelineSource = {
  received_at: Date | string
  processed_at: Date | string | null
  status: PaymentWebhookStatus
  last_error: string | null
  outcome: Record<string, unknown> | null
  history: unknown
}

const iso = (value: Date | string) => new Date(value).toISOString()

/** The stored entries that can be read (an entry of another shape is left out rather than failing the page). */
function storedEntries(history: unknown): PaymentWebhookTimelineEntry[] {
  if (!Array.isArray(history)) {
    return []
  }
  return history.flatMap((item): PaymentWebhookTimelineEntry[] => {
    const parsed = storedEntry.safeParse(item)
    if (!parsed.success || Number.isNaN(Date.parse(parsed.data.at))) {
      return []
    }
    // Only the contract's fields: whatever else a stored entry carries stays in the database.
    const { at, kind, attempt, error, outcome, process, count, note, actor } = parsed.data
    return [
      {
        at: iso(at),
        kind,
        ...(attempt !== undefined ? { attempt } : {}),
        ...(error ? { error } : {}),
        ...(outcome ? { outcome } : {}),
        ...(process ? { process: { kind: process.kind, pid: process.pid, host: process.host } } : {}),
        ...(count !== undefined ? { count } : {}),
        ...(note ? { note } : {}),
        ...(actor ? { actor } : {}),
      },
    ]
  })
}

/**
 * A delivery's timeline, oldest first: its first receipt, then what its `history` recorded. Each
 * attempt carries the error (or outcome) its processing ended with, so a person reads "attempt 2:
 * Stripe was unavailable" on one line. A row settled before histories were kept shows its verdict alone.
 */
export function timelineOf(row: TimelineSource): PaymentWebhookTimelineEntry[] {
  const entries = storedEntries(row.history)
  if (!entries.length && row.processed_at && row.status !== "received") {
    entries.push({
      at: iso(row.processed_at),
      kind: row.status,
      ...(row.last_error ? { error: row.last_error } : {}),
      ...(row.outcome ? { outcome: row.outcome } : {}),
    })
  }
  let open: PaymentWebhookTimelineEntry | undefined
  for (const entry of entries) {
    if (entry.kind === "attempt") {
      open = entry
    } else if (
      open &&
      (entry.kind === "retry_scheduled" || entry.kind === "failed" || entry.kind === "processed" || entry.kind === "ignored")
    ) {
      if (entry.error) {
        open.error = entry.error
      }
      if (entry.outcome) {
        open.outcome = entry.outcome
      }
      open = undefined
    } else if (entry.kind === "replay_requested" || entry.kind === "settled_by_person") {
      open = undefined
    }
  }
  const received: PaymentWebhookTimelineEntry = { at: iso(row.received_at), kind: "received" }
  // Stable: entries written in the same transaction keep their order.
  return [received, ...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}
