import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"

/** Data of `payment-webhooks.delivery_failed`. */
export type DeliveryFailedAlert = {
  /** The inbox row: what an admin replays (`POST /admin/payment-webhooks/:id/replay`). */
  delivery_id: string
  provider_id: string
  event_id: string
  event_type: string | null
  session_id: string | null
  psp_reference: string | null
  attempts: number
  reason: string
}

/**
 * A delivery that ended `failed`: the plugin will not try it again by itself. One error line with the
 * ids a person needs to find it (at the PSP and in the store), and `payment-webhooks.delivery_failed`
 * for a store to forward. Best effort: the row is `failed` with its reason whatever happens here.
 */
export async function alertDeliveryFailed(
  container: MedusaContainer,
  claim: ClaimedDelivery,
  reason: string,
  payment?: MappedWebhookEvent,
): Promise<void> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const alert: DeliveryFailedAlert = {
    delivery_id: claim.id,
    provider_id: claim.provider_id,
    event_id: claim.event_id,
    event_type: claim.event_type,
    session_id: payment?.data?.session_id ?? claim.session_id ?? (await settledSessionOf(container, claim.id)),
    psp_reference: payment?.psp_reference ?? null,
    attempts: claim.attempts,
    reason,
  }
  logger.error(
    `Payment webhook delivery failed: ${alert.provider_id} ${alert.event_id} (${alert.event_type ?? "?"}) for session ${alert.session_id ?? "?"}` +
      `${alert.psp_reference ? `, PSP payment ${alert.psp_reference}` : ""}, after ${alert.attempts} attempt(s), delivery ${alert.delivery_id}: ${reason}`,
  )
  await emitPluginEvent(container, PaymentWebhookEvents.DELIVERY_FAILED, alert).catch((error: unknown) => {
    logger.warn(`Could not emit ${PaymentWebhookEvents.DELIVERY_FAILED} for ${alert.event_id}: ${errorMessage(error)}`)
  })
}

/** The session the processor wrote on the row when it settled it, if it learnt one (a failure is rare: one read). */
async function settledSessionOf(container: MedusaContainer, id: string): Promise<string | null> {
  try {
    const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const [row] = await inbox.listPaymentWebhookEvents({ id }, { select: ["id", "session_id"] })
    return row?.session_id ?? null
  } catch {
    return null
  }
}
