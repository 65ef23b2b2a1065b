/**
 * The admin API of the webhook inbox, `/admin/payment-webhooks/*`: every request and answer as JSON
 * carries it (instants are ISO 8601 strings, amounts numbers in the currency's major unit). Plain
 * types only, nothing that runs: the routes are typed to answer exactly these, and the admin UI and
 * the command-line tool read them, so none of the three can drift from the others.
 */

/** Where a delivery stands in the inbox. */
export type PaymentWebhookStatus = "received" | "processed" | "ignored" | "failed"

/** How an event reached the store: a `webhook` delivery, or `reconciliation` with the PSP. */
export type PaymentWebhookSource = "webhook" | "reconciliation"

/**
 * One recorded delivery, with the order its session's cart became. Never its raw body (it stays in
 * the database for the processor), its claim (whoever holds it may settle the row) nor its history
 * (see {@link PaymentWebhookDetail}'s timeline).
 */
export type PaymentWebhookRow = {
  /** `pwhevt_…` */
  id: string
  /** Route key, e.g. `stripe_stripe` (the payment provider is `pp_` + this). */
  provider_id: string
  /** The PSP's event id: Stripe `evt_…`, Yoco `webhook-id`; `reconcile:<session>:<status>` for reconciliation. */
  event_id: string
  event_type: string | null
  session_id: string | null
  /** The Medusa payment action the event maps to, once processed. */
  action: string | null
  amount: number | null
  currency_code: string | null
  status: PaymentWebhookStatus
  source: PaymentWebhookSource
  /** Processing attempts so far. */
  attempts: number
  /** How many times the PSP delivered this event (retries and duplicates included). */
  deliveries: number
  last_error: string | null
  received_at: string
  /** When it settled (`processed`, `ignored` or `failed`). */
  processed_at: string | null
  /** When the job may take it up again (the backoff after a failed attempt). */
  next_attempt_at: string | null
  /** SHA-256 of the raw body, hex. */
  body_hash: string
  /** The facts the event carried beyond the action (ids, reasons); never card data. */
  details: Record<string, unknown> | null
  /** What processing did: the order placed, the refund recorded… */
  outcome: Record<string, unknown> | null
  /** The PSP's own id of the payment (Stripe `pi_…`, Yoco `ch_…`), once processing learnt it. */
  psp_reference: string | null
  /** Paid at the PSP but no order can be made, or the amounts differ: a person must look. */
  needs_attention: boolean
  /** The order the session's cart became, if any. */
  order_id: string | null
  /**
   * False while a delivery of another package's provider waits for the processor to verify it (its
   * provider did not answer within the edge's deadline).
   */
  verified: boolean
  /**
   * The delivery came through a provider of another package: recorded, deduplicated, re-driven and
   * alerted on here, but its money is that provider's own to check (no PSP reads, amount checks, refunds or disputes).
   */
  from_other_package: boolean
}

/** Query of `GET /admin/payment-webhooks` (all optional; an unknown parameter is a 400). */
export type PaymentWebhookListQuery = {
  /** A route key (`stripe_stripe`, also as `pp_stripe_stripe`) or a provider identifier (`stripe`, `yoco`). */
  provider?: string
  status?: PaymentWebhookStatus
  source?: PaymentWebhookSource
  session_id?: string
  /** The order's deliveries: those of its payment sessions, or of its payments' PSP ids. */
  order_id?: string
  /** Exact match on the row id, session id, order id, PSP event id or PSP payment id (`pi_…`, `ch_…`). */
  q?: string
  /** Received at or after this instant (an ISO date or date-time). */
  received_from?: string
  /** Received before this instant (an ISO date or date-time). */
  received_to?: string
  /** Only the rows a person must look at (`true`), or only the others (`false`). */
  needs_attention?: boolean
  /** 1 to 100, 20 unless given. */
  limit?: number
  offset?: number
}

/** `GET /admin/payment-webhooks`: one page, newest first, and how many match in all. */
export type PaymentWebhookList = { payment_webhooks: PaymentWebhookRow[]; count: number; limit: number; offset: number }

/** `GET /admin/payment-webhooks/summary`: rows by status, how many need a person, and the oldest unprocessed one's receipt. */
export type PaymentWebhookSummary = {
  counts: Record<PaymentWebhookStatus, number>
  needs_attention: number
  oldest_unprocessed_at: string | null
  /** The provider keys whose deliveries the inbox serves (`stripe_stripe`…), for the provider filter. */
  providers: string[]
}

/** What a timeline entry tells of: the first receipt, then what the row's history recorded. */
export type PaymentWebhookTimelineKind =
  "received" | "delivered_again" | "attempt" | "retry_scheduled" | "processed" | "ignored" | "failed" | "replay_requested"

/** The process that wrote an entry: its Medusa worker mode, pid and host (where the processor ran). */
export type PaymentWebhookProcess = { kind: string; pid: number; host: string }

/** One moment of a delivery's life. */
export type PaymentWebhookTimelineEntry = {
  at: string
  kind: PaymentWebhookTimelineKind
  attempt?: number
  /** On an attempt: the error it ended with (also on its `retry_scheduled` or `failed` entry). */
  error?: string
  outcome?: Record<string, unknown>
  process?: PaymentWebhookProcess
  /** On `delivered_again`: how many deliveries arrived together. */
  count?: number
}

/** The event as the processor mapped it (null fields until it has been processed once). */
export type PaymentWebhookMappedEvent = {
  action: string | null
  amount: number | null
  currency_code: string | null
  session_id: string | null
  psp_reference: string | null
  event_type: string | null
  details: Record<string, unknown> | null
}

/** `GET /admin/payment-webhooks/:id`: one delivery with its timeline (oldest first) and mapped event. */
export type PaymentWebhookDetail = {
  payment_webhook: PaymentWebhookRow
  timeline: PaymentWebhookTimelineEntry[]
  mapped: PaymentWebhookMappedEvent
}

/** How one run of the processor on a delivery ended (`skipped`: not to be had; `claim_lost`: another processor took it over). */
export type ProcessingStatus = "processed" | "ignored" | "failed" | "retrying" | "skipped" | "claim_lost"

/** One run of the processor, and why it ended so. */
export type ProcessingResult = { status: ProcessingStatus; reason?: string }

/** `POST /admin/payment-webhooks/:id/replay` (no query, no body): the delivery as it stands after, and how the run ended. */
export type PaymentWebhookReplay = { payment_webhook: PaymentWebhookRow; result: ProcessingResult }

/** Body of `POST /admin/payment-webhooks/replay` (an unknown field is a 400). */
export type BulkReplayRequest = {
  /** Rows received at or after this instant (an ISO date or date-time). */
  since: string
  /** `failed` unless given. */
  status?: Exclude<PaymentWebhookStatus, "processed">
  /** A route key or a provider identifier, as the list's `provider`. */
  provider?: string
  /** Only count the rows a replay would touch. */
  dry_run?: boolean
  /** Rows one call takes, oldest first: 1 to 100, 50 unless given. */
  limit?: number
  /** The previous call's `next_after`: continue after the rows it took. */
  after?: string
}

/** A dry run's answer: how many rows a replay would touch; nothing changed. */
export type BulkReplayDryRun = {
  dry_run: true
  count: number
  replayable: number
  /** Rows whose raw body is no longer kept: a replay leaves them as they are. */
  not_replayable: number
  /** How many more match beyond `limit`. */
  remaining: number
  next_after: string | null
}

/** A replay's answer: how each row's run ended, how many could not be replayed, and how many match beyond `limit`. */
export type BulkReplayDone = {
  dry_run: false
  count: number
  results: Record<ProcessingStatus, number>
  not_replayable: number
  remaining: number
  next_after: string | null
}

/** `POST /admin/payment-webhooks/replay`. */
export type BulkReplayResult = BulkReplayDryRun | BulkReplayDone

/** A payment's amounts as one side holds them (major units). */
export type PaymentAmounts = { amount: number; captured: number; refunded: number }

/** The payment as the PSP shows it now. */
export type PspPaymentState = PaymentAmounts & { status: string; currency_code: string }

/** One of an order's payments: Medusa's amounts next to the PSP's (`psp: null` with `psp_error` when the PSP cannot be read). */
export type OrderPaymentComparison = {
  payment_id: string
  session_id: string | null
  /** `pp_…` */
  provider_id: string
  currency_code: string
  medusa: PaymentAmounts
  psp: PspPaymentState | null
  psp_error?: string
}

/** `GET /admin/payment-webhooks/orders/:order_id`: the order's deliveries (newest first, up to 50) and its payments on both sides. */
export type OrderPaymentWebhooks = { order_id: string; payment_webhooks: PaymentWebhookRow[]; payments: OrderPaymentComparison[] }

/** `failing` answers 503 (the job is not running, or the inbox cannot be read); `degraded` and `ok` answer 200. */
export type PaymentWebhooksHealthStatus = "ok" | "degraded" | "failing"

/** Where a module keeps its state: shared by every process (`redis`, `postgres`), or inside one process (`in-memory`). */
export type ModuleBackendKind = "redis" | "postgres" | "in-memory" | "other" | "not registered"

/** `GET /admin/payment-webhooks/health` (no query), with 200 or 503. */
export type PaymentWebhooksHealth = {
  status: PaymentWebhooksHealthStatus
  /** The job's latest pass, by whichever process ran it; null if it never ran (or the inbox cannot be read). */
  job: {
    last_ran_at: string | null
    started_at: string
    process_kind: string
    host: string
    pid: number
    duration_ms: number | null
    summary: Record<string, unknown> | null
    last_error: string | null
  } | null
  job_interval_ms: number
  backlog: { unprocessed: number; oldest_age_seconds: number | null; overdue: number } | null
  failures_24h: number | null
  needs_attention_24h: number | null
  /** This package's providers: never a secret, only whether each has one. */
  providers: Array<{
    key: string
    webhook_path: string
    webhook_secret_configured: boolean | null
    /** How many secrets are accepted (2 while one is being rolled); null when the provider does not say. */
    webhook_secrets: number | null
  }>
  /** The backends of the modules servers and a worker must share, and this process's worker mode. */
  modules: {
    event_bus: ModuleBackendKind
    workflow_engine: ModuleBackendKind
    cache: ModuleBackendKind
    locking: ModuleBackendKind
    worker_mode: string
  }
  /** Each problem a person should fix, one line each. */
  problems: string[]
}

/** Any refusal of these routes (400, 401, 404, 409…), as Medusa's error handler words it. */
export type AdminApiError = { type: string; message: string }
