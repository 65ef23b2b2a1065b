import type { MedusaContainer } from "@medusajs/framework/types"
import { jobIntervalMs, REDRIVE_JOB_NAME } from "../webhooks/health/job-schedule"
import { redrivePaymentWebhooksWorkflow } from "../workflows/redrive-payment-webhooks"

/** Every minute: re-drive unprocessed deliveries and reconcile pending sessions with the PSP. */
export default async function redrivePaymentWebhooksJob(container: MedusaContainer): Promise<void> {
  await redrivePaymentWebhooksWorkflow(container).run({ input: {} })
}

export const config = {
  name: REDRIVE_JOB_NAME,
  // An interval (not a cron line) so a store, or a test, can run it more often: PAYMENT_WEBHOOKS_JOB_INTERVAL_MS.
  // The health check judges the job's staleness by the same period.
  schedule: { interval: jobIntervalMs() },
}
