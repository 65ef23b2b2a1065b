import { model } from "@medusajs/framework/utils"

/**
 * The heartbeat of one scheduled job: a single row per job, written when a pass starts and when it
 * ends, by whichever process ran it. The health check reads it from any process (a server answers
 * for the worker that runs the job).
 */
export const PaymentWebhookJobRun = model.define("payment_webhook_job_run", {
  /** The job's name, e.g. `payment-webhooks-redrive`. */
  id: model.text().primaryKey(),
  /** When the latest pass started (database clock). */
  started_at: model.dateTime(),
  /** When the latest finished pass ended; null until one has. */
  finished_at: model.dateTime().nullable(),
  /** The Medusa worker mode of the process that ran it: `worker`, `shared` (or `server`). */
  process_kind: model.text(),
  host: model.text(),
  pid: model.number(),
  /** The job's period on that process, in ms: the health check judges staleness by it. */
  interval_ms: model.number(),
  duration_ms: model.number().nullable(),
  /** What the latest finished pass did (counts only: no payloads, no secrets). */
  summary: model.json().nullable(),
  /** Why the latest finished pass failed; null when it succeeded. */
  last_error: model.text().nullable(),
})
