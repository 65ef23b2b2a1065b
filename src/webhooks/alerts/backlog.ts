import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type { InboxFigures } from "../../modules/payment-webhooks/health-figures"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"
import { overdueAfterSeconds } from "../health/job-schedule"
import { noteBacklog } from "../telemetry/metrics"

/** Data of `payment-webhooks.backlog_stale`. */
export type BacklogStaleAlert = {
  /** Deliveries not processed yet (waiting, in backoff or being processed). */
  count: number
  /** Of them, those due for longer than the job should take (as the health check's `overdue`). */
  overdue: number
  /** Seconds the longest-waiting due delivery has been due (not counting its backoff). */
  oldest_age_seconds: number
  oldest_id: string | null
  oldest_provider_id: string | null
  threshold_seconds: number
}

/** When this process last raised the alert (ms since the epoch). */
let lastAlertAt: number | undefined

/**
 * The job's look at the backlog once its pass is done, with the health check's own reading (so both
 * call the same deliveries late): the gauges get the figures, and when a delivery has been due
 * (its backoff over, nobody's claim on it) for longer than `alertBacklogAgeSeconds`, one error line and
 * `payment-webhooks.backlog_stale`. Raised at most once per `alertBacklogAgeSeconds` per process:
 * the job runs every minute, and a backlog that stays stale for hours would otherwise page someone
 * sixty times an hour; once per threshold period still reminds while it lasts. The memory is per
 * process on purpose: the job runs on the worker, so one process raises it, and a restarted worker
 * says it again at once, which is when someone wants to know. Never fails the pass.
 */
export async function watchBacklog(container: MedusaContainer, inbox: PaymentWebhooksModuleService): Promise<InboxFigures | null> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const figures = await inbox.inboxFigures(overdueAfterSeconds(inbox.inboxOptions.redriveAfterSeconds))
    const oldestAge = figures.oldest_age_seconds ?? 0
    noteBacklog({ count: figures.unprocessed, oldestAgeSeconds: oldestAge })
    const threshold = inbox.inboxOptions.alertBacklogAgeSeconds
    const now = Date.now()
    if (
      figures.oldest_age_seconds === null ||
      oldestAge < threshold ||
      (lastAlertAt !== undefined && now - lastAlertAt < threshold * 1000)
    ) {
      return figures
    }
    lastAlertAt = now
    const alert: BacklogStaleAlert = {
      count: figures.unprocessed,
      overdue: figures.overdue,
      oldest_age_seconds: oldestAge,
      oldest_id: figures.oldest_id,
      oldest_provider_id: figures.oldest_provider_id,
      threshold_seconds: threshold,
    }
    logger.error(
      `Payment webhook backlog is stale: ${alert.count} deliveries not processed, one of them due for ${alert.oldest_age_seconds} s ` +
        `(over ${threshold} s): delivery ${alert.oldest_id} of ${alert.oldest_provider_id}; is the job running on the worker, and can it reach the PSP and the database?`,
    )
    await emitPluginEvent(container, PaymentWebhookEvents.BACKLOG_STALE, alert).catch((error: unknown) => {
      logger.warn(`Could not emit ${PaymentWebhookEvents.BACKLOG_STALE}: ${errorMessage(error)}`)
    })
    return figures
  } catch (error) {
    logger.warn(`Could not read the payment webhook backlog: ${errorMessage(error)}`)
    return null
  }
}
