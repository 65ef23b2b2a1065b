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
  /** Read `session_id`'s payment session in the same statement, for the edge's amount check (authorize/capture only). */
  read_session?: boolean
}

/** A payment session as the amount check needs it; `found: false` when it is not in this store. */
export type SessionForGuard = { found: boolean; amount?: string; currency_code?: string }

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

/**
 * The result of recording a delivery: a new row, or the row already there for that event. `session`
 * is `session_id`'s payment session, when `read_session` asked for it, the event is new, and the payment
 * tables share the inbox's database.
 */
export type RecordOutcome = { id: string; duplicate: boolean; session?: SessionForGuard }
