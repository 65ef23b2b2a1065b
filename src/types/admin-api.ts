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
  /** 0 to 10 000: the list pages no deeper than it counts (narrow the filter to reach older rows). */
  offset?: number
}

/**
 * `GET /admin/payment-webhooks`: one page, newest first, and how many match in all, counted up to
 * 10 000 (`count_capped` when more match: the count is then "10 000 or more").
 */
export type PaymentWebhookList = {
  payment_webhooks: PaymentWebhookRow[]
  count: number
  count_capped: boolean
  limit: number
  offset: number
}

/** `GET /admin/payment-webhooks/summary`: rows by status, how many need a person, and the oldest unprocessed one's receipt. */
export type PaymentWebhookSummary = {
  /** Rows by status, each counted up to `count_cap`. */
  counts: Record<PaymentWebhookStatus, number>
  /** Rows a person must look at, counted up to `count_cap`. */
  needs_attention: number
  /** Where the counts stop (10 000): a count equal to it means "that many or more". */
  count_cap: number
  oldest_unprocessed_at: string | null
  /** The provider keys whose deliveries the inbox serves (`stripe_stripe`…), for the provider filter. */
  providers: string[]
}

/** What a timeline entry tells of: the first receipt, then what the row's history recorded. */
export type PaymentWebhookTimelineKind =
  | "received"
  | "delivered_again"
  | "attempt"
  | "retry_scheduled"
  | "processed"
  | "ignored"
  | "failed"
  | "replay_requested"
  | "settled_by_person"

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
  /** On `settled_by_person`: what the person wrote of how they settled it. */
  note?: string
  /** On `settled_by_person`: the admin user (or API key) who did. */
  actor?: string
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

/**
 * Body of `POST /admin/payment-webhooks/:id/settle`: a person says a delivery that failed or needs
 * attention is dealt with (refunded by hand, the order made another way…), in a note kept on its timeline.
 */
export type PaymentWebhookSettleRequest = { note: string }

/** `POST /admin/payment-webhooks/:id/settle`: the delivery as it stands after. */
export type PaymentWebhookSettled = { payment_webhook: PaymentWebhookRow }

/** `POST /admin/payment-webhooks/:id/replay` (no query, no body): the delivery as it stands after, and how the run ended. */
export type PaymentWebhookReplay = { payment_webhook: PaymentWebhookRow; result: ProcessingResult }

/**
 * Body of `POST /admin/payment-webhooks/replay` (an unknown field is a 400). A dry run counts one batch
 * of `limit` rows at once; a real replay starts a background run over every row that matches when it
 * is asked for, `limit` rows per batch.
 */
export type BulkReplayRequest = {
  /** Rows received at or after this instant (an ISO date or date-time). */
  since: string
  /** `failed` unless given. */
  status?: Exclude<PaymentWebhookStatus, "processed">
  /** A route key or a provider identifier, as the list's `provider`. */
  provider?: string
  /** Only count the rows a replay would touch. */
  dry_run?: boolean
  /** 1 to 100, 50 unless given: the rows a dry run counts (oldest first), or a run's batch (its progress is written after each). */
  limit?: number
  /** A dry run's `next_after`: count, or replay, only the rows after it. */
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

/**
 * Where a bulk replay run stands: `running` until it has taken every row it matched (`done`), stopped
 * on an error (`failed`, with `last_error`), or was stopped by a person (`cancelled`).
 */
export type BulkReplayRunStatus = "running" | "done" | "failed" | "cancelled"

/**
 * A bulk replay run: rows taken oldest first, a batch at a time, each put back in the queue and run
 * through the processor (under the run's own limit, so live deliveries never wait behind it). Its
 * progress is written after each batch; a run whose process died is resumed by the job from `cursor`.
 */
export type BulkReplayRun = {
  /** `pwhrpl_…` */
  id: string
  status: BulkReplayRunStatus
  /** The rows it takes: of `status`, received from `since` until the run was asked for, of `provider` (null: every provider). */
  filter: { status: PaymentWebhookStatus; since: string; until: string; provider: string | null }
  /** Rows that matched when it was asked for (counted up to 10,000). */
  total: number
  /** Rows taken so far: the sum of `results` and `not_replayable`. */
  taken: number
  /** How the processor's run of each row taken ended (`skipped`: settled or held by another processor meanwhile). */
  results: Record<ProcessingStatus, number>
  /** Rows taken whose raw body is no longer kept: left as they are. */
  not_replayable: number
  /** Rows per batch. */
  batch_size: number
  /** The last row taken; a resumed run continues after it. */
  cursor: string | null
  /** The admin user (or secret key) who asked for it, when known. */
  requested_by: string | null
  /** Why it stopped, when `failed`. */
  last_error: string | null
  created_at: string
  updated_at: string
  /** When its process last said it was alive: a `running` run silent for 2 minutes is resumed by the job. */
  heartbeat_at: string
  finished_at: string | null
}

/** A real replay's answer (202 while it runs, 200 when nothing matched and it is `done` already): the run to follow. */
export type BulkReplayStarted = { dry_run: false; replay_run: BulkReplayRun }

/** `POST /admin/payment-webhooks/replay`: a dry run's counts, or the run it started. 409 ({@link BulkReplayBusy}) while another runs. */
export type BulkReplayResult = BulkReplayDryRun | BulkReplayStarted

/** The 409 of `POST /admin/payment-webhooks/replay`: one run at a time; this one is running (null if it ended meanwhile). */
export type BulkReplayBusy = AdminApiError & { replay_run: BulkReplayRun | null }

/** `GET /admin/payment-webhooks/replay/:run_id` and `POST …/replay/:run_id/cancel` (no query, no body): the run as far as it got. */
export type BulkReplayRunAnswer = { replay_run: BulkReplayRun }

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
  /**
   * When the PSP gave `psp` (ISO 8601): an answer is reused for up to 45 s, so it may be that old;
   * null when there is no `psp`.
   */
  psp_read_at: string | null
  /** Why `psp` is null: the PSP failed or did not answer in time, or the provider is not this plugin's. */
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
