import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { watchBacklog } from "../alerts/backlog"
import { processDelivery } from "./process-delivery"
import type { ProcessResult } from "./result"

/** Counts of what one pass did, by the processor's result. */
export type DueSummary = Record<ProcessResult["status"], number> & { taken: number }

/** Options of one pass: `olderThanSeconds` overrides `redriveAfterSeconds`. */
export type DueOptions = { olderThanSeconds?: number }

/** How long one pass keeps taking batches while a backlog lasts; the next run takes over the rest. */
const PASS_BUDGET_MS = 20_000

/**
 * The job's pass: deliveries still `received` after `redriveAfterSeconds` (their announcement lost,
 * their process gone, their backoff over) go through the processor, batch after batch while full
 * batches keep coming. Rows held by another process are skipped at their claim.
 */
export async function processDueDeliveries(container: MedusaContainer, options: DueOptions = {}): Promise<DueSummary> {
  const summary: DueSummary = { taken: 0, processed: 0, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 }
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return summary
  }
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  if (!inbox.inboxOptions.enabled) {
    return summary
  }
  const started = Date.now()
  const seen = new Set<string>()
  let full = true
  while (full && Date.now() - started < PASS_BUDGET_MS) {
    const ids = (await inbox.dueDeliveryIds({ olderThanSeconds: options.olderThanSeconds })).filter((id) => !seen.has(id))
    full = ids.length >= inbox.inboxOptions.batchSize
    ids.forEach((id) => seen.add(id))
    summary.taken += ids.length
    // Each waits for one of the process's turns: the batch runs `concurrency` at a time.
    const results = await Promise.all(ids.map((id) => processDelivery(container, id)))
    results.forEach((result) => (summary[result.status] += 1))
  }
  // What is left once the pass did what it could: the backlog's gauges, and its alert when it is stale.
  await watchBacklog(container, inbox)
  if (summary.taken) {
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).info(`Payment webhooks taken up by the job: ${JSON.stringify(summary)}`)
  }
  return summary
}
