import type { Logger } from "@medusajs/framework/types"
import { errorMessage } from "../../lib/errors"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"

/** What one pass's retention removed. */
export type RetentionSummary = { bodies_dropped: number; pruned: number; checks_pruned: number }

/**
 * Retention, once per pass of the job: raw bodies past `rawBodyRetentionDays`, settled deliveries
 * past `retentionDays`, reconciliation checks past the horizon; each in short batches within a few
 * seconds. A failure is logged and waits for the next pass: the deliveries were processed already,
 * and reconciliation, which runs after, must not miss its turn over housekeeping.
 */
export async function applyRetention(inbox: PaymentWebhooksModuleService, logger: Logger): Promise<RetentionSummary> {
  const summary: RetentionSummary = { bodies_dropped: 0, pruned: 0, checks_pruned: 0 }
  try {
    summary.bodies_dropped = await inbox.dropOldRawBodies()
    summary.pruned = await inbox.pruneSettled()
    summary.checks_pruned = await inbox.pruneReconciliationChecks()
  } catch (error) {
    logger.warn(`Payment webhooks retention failed, the next pass tries again: ${errorMessage(error)}`)
  }
  return summary
}
