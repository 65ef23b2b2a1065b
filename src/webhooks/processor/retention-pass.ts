import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"

/** What one pass's retention removed. */
export type RetentionSummary = { bodies_dropped: number; pruned: number; checks_pruned: number; forgeries_pruned: number }

/**
 * Retention, once per pass of the job: raw bodies past `rawBodyRetentionDays`, settled deliveries
 * past `retentionDays`, reconciliation checks past the horizon; each in short batches within a few
 * seconds. A failure is logged and waits for the next pass: the deliveries were processed already,
 * and reconciliation, which runs after, must not miss its turn over housekeeping.
 */
export async function applyRetention(container: MedusaContainer): Promise<RetentionSummary> {
  const summary: RetentionSummary = { bodies_dropped: 0, pruned: 0, checks_pruned: 0, forgeries_pruned: 0 }
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return summary
  }
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  // Not awaited: a missing index on a large inbox builds concurrently for minutes, and this pass goes on meanwhile.
  void inbox.ensureIndexes()
  try {
    summary.bodies_dropped = await inbox.dropOldRawBodies()
    summary.pruned = await inbox.pruneSettled()
    summary.checks_pruned = await inbox.pruneReconciliationChecks()
    summary.forgeries_pruned = await inbox.pruneForgeries()
  } catch (error) {
    logger.warn(`Payment webhooks retention failed, the next pass tries again: ${errorMessage(error)}`)
  }
  if (summary.bodies_dropped || summary.pruned || summary.checks_pruned || summary.forgeries_pruned) {
    logger.info(`Payment webhooks retention: ${JSON.stringify(summary)}`)
  }
  return summary
}
