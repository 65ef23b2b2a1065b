import type { PaymentWebhookRow } from "../../types/admin-api"

/** Where a recorded event stands. */
export type InboxStatus = "received" | "processed" | "ignored" | "failed"

/** How an event reached the store: a `webhook` delivery, or `reconciliation` with the PSP. */
export type InboxSource = "webhook" | "reconciliation"

/** What the edge (or reconciliation) records of one delivery: the event as the PSP sent it, nothing derived. */
export type DeliveryRecordInput = {
  provider_id: string
  event_id: string
  event_type: string | null
  source: InboxSource
  /** SHA-256 of the raw body, hex (empty for reconciliation). */
  body_hash: string
  /** The verified raw body; the processor maps the event from it. Null for reconciliation. */
  raw_body: string | null
  /** Only reconciliation, and a provider of another package that mapped its event at the edge, know the session before processing. */
  session_id?: string | null
  /** The Medusa action a provider of another package mapped the event to at the edge. */
  action?: string | null
  /** Its amount, in the currency's major unit. */
  amount?: number | null
  /** False when the provider's own verification did not answer at the edge in time: the processor verifies it. */
  verified?: boolean
  /** The headers that verification needs (kept only until the row settles). */
  verify_headers?: Record<string, string> | null
}

/** A recorded event as the processor claims it: the row's own columns as the admin contract names them, dates as dates. */
export type InboxRow = Pick<
  PaymentWebhookRow,
  "id" | "provider_id" | "event_id" | "event_type" | "session_id" | "action" | "attempts" | "last_error"
> & {
  status: InboxStatus
  source: InboxSource
  received_at: Date
  raw_body: string | null
  /** The amount recorded with the delivery (a provider of another package mapped it at the edge), major unit. */
  amount: number | null
  /** False until the processor has verified a delivery the edge could not. */
  verified: boolean
  /** The headers that verification needs. */
  verify_headers: Record<string, string> | null
  /** Flagged for a person before this attempt (a replayed row keeps its flag until it settles again). */
  needs_attention: boolean
  /** The row ended `failed` before (its history says so): its failure was reported then. */
  failed_before: boolean
  /** The row was `processed` before (a replay): what its effect told the store was told then. */
  processed_before: boolean
}

/** A row held by one processor: only the holder of `token` may settle it. */
export type ClaimedDelivery = InboxRow & { token: string }

/** The facts processing learnt of an event (what it maps to), written with its verdict. */
export type DeliveryFacts = {
  session_id?: string | null
  action?: string | null
  amount?: number | null
  currency_code?: string | null
  details?: Record<string, unknown> | null
  /** The PSP's own id of the payment (Stripe `pi_…`, Yoco `ch_…`). */
  psp_reference?: string | null
  /** True once the processor verified a delivery the edge could not. */
  verified?: boolean
}

/** How processing ended, as the row records it. */
export type DeliveryVerdict = {
  status: Exclude<InboxStatus, "received">
  /** Why it was ignored or failed (null when processed). */
  reason: string | null
  /** What it did: the order placed, the refund recorded… */
  outcome?: Record<string, unknown> | null
  facts?: DeliveryFacts
  /** Paid at the PSP but no order can be made, or the amounts differ: a person must look (see `reportNeedsAttention`). */
  needs_attention?: boolean
  /** A delivery that failed its verification: its body and headers are dropped as it settles, and retention takes it soon. */
  forged?: boolean
}

/** The result of recording a delivery: a new row, or the row already there for that event. */
export type RecordOutcome = { id: string; duplicate: boolean }
