/** Where a recorded event stands. */
export type InboxStatus = "received" | "processed" | "ignored" | "failed"

/** What the edge (or reconciliation) records of one delivery. */
export type DeliveryRecordInput = {
  provider_id: string
  event_id: string
  event_type: string | null
  session_id: string | null
  action: string | null
  amount: number | null
  currency_code: string | null
  /** `received` to be carried out; `ignored` / `failed` (with `last_error`) when it ends at the edge. */
  status: InboxStatus
  source: "webhook" | "reconciliation"
  last_error: string | null
  body_hash: string
  details: Record<string, unknown> | null
  raw_body: string | null
}

/** A recorded event as the re-drive reads it. */
export type InboxRow = {
  id: string
  provider_id: string
  event_id: string
  event_type: string | null
  session_id: string | null
  action: string | null
  amount: string | null
  currency_code: string | null
  status: InboxStatus
  source: "webhook" | "reconciliation"
  attempts: number
  last_error: string | null
  received_at: Date
  details: Record<string, unknown> | null
}

/** The result of recording a delivery: a new row, or the row already there for that event. */
export type RecordOutcome = { id: string; duplicate: boolean }
