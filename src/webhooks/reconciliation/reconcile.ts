import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { webhookSources } from "../edge/webhook-sources"
import { processDelivery } from "../processor/process-delivery"
import { recordReconciliationLookup } from "../telemetry/metrics"
import { dueSessions } from "./due-sessions"

/** Counts of what one reconciliation pass did. */
export type ReconcileSummary = { checked: number; paid: number; errors: number }

/**
 * Looks up, at their PSP, this plugin's sessions still open (or deleted) after `reconcileAfterSeconds`
 * and younger than `reconcileHorizonSeconds`, newest first, each at most as often as its backoff allows.
 * A paid one is recorded as a delivery from `reconciliation` and goes through the one processor,
 * which asks the PSP again and checks the amount: a store whose endpoint was never set still gets its orders.
 */
export async function reconcilePendingSessions(
  container: MedusaContainer,
  options: { olderThanSeconds?: number } = {},
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { checked: 0, paid: 0, errors: 0 }
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return summary
  }
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const sources = await webhookSources(container)
  if (!inbox.inboxOptions.enabled || !sources.size) {
    return summary
  }
  const settings = inbox.inboxOptions
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const window = {
    olderThanSeconds: options.olderThanSeconds ?? settings.reconcileAfterSeconds,
    horizonSeconds: settings.reconcileHorizonSeconds,
    limit: settings.batchSize,
  }
  for (const [key, source] of sources) {
    for (const session of await dueSessions(container, inbox, key, window)) {
      summary.checked += 1
      try {
        const truth = await source.readSessionTruth(session.data ?? {})
        if (!truth.mapped) {
          recordReconciliationLookup(key, "unpaid")
          await inbox.noteSessionChecked(key, session.id, `unpaid at the PSP (${truth.psp_status})`)
          continue
        }
        const recorded = await inbox.recordDelivery({
          provider_id: key,
          event_id: `reconcile:${session.id}:${truth.mapped.action}`,
          event_type: truth.mapped.event_type ?? `reconciliation.${truth.mapped.action}`,
          source: "reconciliation",
          body_hash: "",
          raw_body: null,
          session_id: session.id,
        })
        // Already recorded (being processed, or failed for a person to look at): back off either way.
        recordReconciliationLookup(key, recorded.duplicate ? "already_recorded" : "paid")
        await inbox.noteSessionChecked(key, session.id, `${truth.psp_status} at the PSP${recorded.duplicate ? ", already recorded" : ""}`)
        if (!recorded.duplicate) {
          summary.paid += 1
          logger.info(`Reconciliation found session ${session.id} ${truth.psp_status} at the PSP with no processed webhook`)
          await processDelivery(container, recorded.id)
        }
      } catch (error) {
        summary.errors += 1
        recordReconciliationLookup(key, "error")
        await inbox.noteSessionChecked(key, session.id, `lookup failed: ${errorMessage(error)}`).catch(() => undefined)
        logger.warn(`Reconciliation of session ${session.id} failed: ${errorMessage(error)}`)
      }
    }
  }
  return summary
}
