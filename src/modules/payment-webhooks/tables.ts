/**
 * The inbox's tables, named once for the module's hand-written statements (the models define them:
 * `models/*.ts`). No other part of the plugin names them: their SQL lives in this module.
 */

/** Every recorded delivery (`models/payment-webhook-event.ts`). */
export const INBOX_TABLE = "payment_webhook_event"

/** The heartbeat of each job (`models/job-run.ts`). */
export const JOB_RUN_TABLE = "payment_webhook_job_run"

/** When each session was last checked with the PSP (`models/reconciliation-check.ts`). */
export const RECONCILIATION_CHECK_TABLE = "payment_reconciliation_check"

/** The bulk replays a person asked for, and how far each got (`models/replay-run.ts`). */
export const REPLAY_RUN_TABLE = "payment_webhook_replay_run"
