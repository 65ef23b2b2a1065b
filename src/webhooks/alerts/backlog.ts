import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type { Backlog } from "../../modules/payment-webhooks/backlog"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"
import { noteBacklog } from "../telemetry/metrics"

/** Data of `payment-webhooks.backlog_stale`. */
export type BacklogStaleAlert = {
  count: number
  oldest_age_seconds: number
  oldest_id: string | null
  oldest_provider_id: string | null
  threshold_seconds: number
}

/** When this process last raised the alert (ms since the epoch). */
let lastAlertAt: number | undefined

/**
 * The job's look at the backlog once its pass is done: the gauges get the figures, and when the oldest
 * delivery still unprocessed is older than `alertBacklogAgeSeconds`, one error line and
 * `payment-webhooks.backlog_stale`. Raised at most once per `alertBacklogAgeSeconds` per process:
 * the job runs every minute, and a backlog that stays stale for hours would otherwise page someone
 * sixty times an hour; once per threshold period still reminds while it lasts. The memory is per
 * process on purpose: the job runs on the worker, so one process raises it, and a restarted worker
 * says it again at once, which is when someone wants to know. Never fails the pass.
 */
export async function watchBacklog(container: MedusaContainer, inbox: PaymentWebhooksModuleService): Promise<Backlog | null> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const backlog = await inbox.backlog()
    noteBacklog({ count: backlog.count, oldestAgeSeconds: backlog.oldest_age_seconds })
    const threshold = inbox.inboxOptions.alertBacklogAgeSeconds
    const now = Date.now()
    if (backlog.count === 0 || backlog.oldest_age_seconds < threshold || (lastAlertAt !== undefined && now - lastAlertAt < threshold * 1000)) {
      return backlog
    }
    lastAlertAt = now
    const alert: BacklogStaleAlert = { ...backlog, threshold_seconds: threshold }
    logger.error(
      `Payment webhook backlog is stale: ${alert.count} deliveries not processed, the oldest for ${alert.oldest_age_seconds} s ` +
        `(over ${threshold} s): delivery ${alert.oldest_id} of ${alert.oldest_provider_id}; is the job running on the worker, and can it reach the PSP and the database?`
    )
    await emitPluginEvent(container, PaymentWebhookEvents.BACKLOG_STALE, alert).catch((error: unknown) => {
      logger.warn(`Could not emit ${PaymentWebhookEvents.BACKLOG_STALE}: ${errorMessage(error)}`)
    })
    return backlog
  } catch (error) {
    logger.warn(`Could not read the payment webhook backlog: ${errorMessage(error)}`)
    return null
  }
}
