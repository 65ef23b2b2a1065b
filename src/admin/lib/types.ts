/** One recorded delivery as `GET /admin/payment-webhooks` returns it (never its raw body or headers). */
export type PaymentWebhookRow = {
  id: string
  provider_id: string
  event_id: string
  event_type: string | null
  session_id: string | null
  action: string | null
  amount: number | string | null
  currency_code: string | null
  status: PaymentWebhookStatus
  source: "webhook" | "reconciliation"
  attempts: number
  deliveries: number
  last_error: string | null
  received_at: string
  processed_at: string | null
  next_attempt_at: string | null
  body_hash: string
  details: Record<string, unknown> | null
  outcome: Record<string, unknown> | null
  order_id?: string | null
  needs_attention?: boolean
  psp_reference?: string | null
}

/** Where a delivery stands in the inbox. */
export type PaymentWebhookStatus = "received" | "processed" | "ignored" | "failed"

/** The statuses, in the order the filter offers them. */
export const PAYMENT_WEBHOOK_STATUSES: PaymentWebhookStatus[] = ["received", "processed", "ignored", "failed"]

/** One page of deliveries. */
export type PaymentWebhookList = { payment_webhooks: PaymentWebhookRow[]; count: number; limit: number; offset: number }

/** The counts shown at a glance at the top of the page. */
export type PaymentWebhookSummary = {
  counts: Record<PaymentWebhookStatus, number>
  needs_attention: number
  oldest_unprocessed_at: string | null
}

/** One step of a delivery's life, oldest first. */
export type TimelineEntry = {
  at: string
  kind: "received" | "delivered_again" | "attempt" | "retry_scheduled" | "processed" | "ignored" | "failed" | "replay_requested"
  attempt?: number
  error?: string
  outcome?: Record<string, unknown> | string | null
  process?: { kind: string; pid: number; host: string }
}

/** The Medusa payment event a delivery maps to. */
export type MappedEvent = {
  action: string | null
  amount: number | string | null
  currency_code: string | null
  session_id: string | null
  psp_reference: string | null
  event_type: string | null
  details: Record<string, unknown> | null
}

/** `GET /admin/payment-webhooks/:id`. */
export type PaymentWebhookDetail = { payment_webhook: PaymentWebhookRow; timeline: TimelineEntry[]; mapped: MappedEvent | null }

/** `POST /admin/payment-webhooks/:id/replay`. */
export type ReplayResult = { payment_webhook: PaymentWebhookRow; result: { status: string; reason?: string } }

/** What a bulk replay is asked to touch. */
export type BulkReplayRequest = { since: string; status?: PaymentWebhookStatus; provider?: string; dry_run?: boolean; limit?: number; after?: string }

/** `POST /admin/payment-webhooks/replay`: a count on a dry run, what happened otherwise. */
export type BulkReplayResult =
  | { dry_run: true; count: number; replayable?: number; not_replayable?: number; remaining?: number; next_after?: string | null }
  | { dry_run: false; count: number; results: Record<string, number>; not_replayable?: number; remaining?: number; next_after?: string | null }

/** Amounts of a payment as one side (Medusa or the PSP) holds them. */
export type PaymentAmounts = { amount: number | string | null; captured: number | string | null; refunded: number | string | null }

/** One payment of an order, Medusa's view next to the PSP's. */
export type OrderPaymentView = {
  payment_id: string
  session_id: string | null
  provider_id: string
  currency_code: string
  medusa: PaymentAmounts
  psp: (PaymentAmounts & { status: string }) | null
  psp_error?: string
}

/** `GET /admin/payment-webhooks/orders/:order_id`. */
export type OrderPaymentWebhooks = { order_id: string; payment_webhooks: PaymentWebhookRow[]; payments: OrderPaymentView[] }
