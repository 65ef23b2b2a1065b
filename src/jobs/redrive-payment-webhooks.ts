import type { MedusaContainer } from "@medusajs/framework/types"
import { redrivePaymentWebhooksWorkflow } from "../workflows/redrive-payment-webhooks"

/** Every minute: re-drive unprocessed deliveries and reconcile pending sessions with the PSP. */
export default async function redrivePaymentWebhooksJob(container: MedusaContainer): Promise<void> {
  await redrivePaymentWebhooksWorkflow(container).run({ input: {} })
}

export const config = {
  name: "payment-webhooks-redrive",
  // An interval (not a cron line) so a store, or a test, can run it more often: PAYMENT_WEBHOOKS_JOB_INTERVAL_MS.
  schedule: { interval: Number(process.env.PAYMENT_WEBHOOKS_JOB_INTERVAL_MS) || 60_000 },
}
