import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"

/** True when the session existed in this store and was deleted (a cart change drops its sessions). */
export async function wasDeleted(container: MedusaContainer, sessionId: string): Promise<boolean> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [session] } = await query.graph({ entity: "payment_session", fields: ["id", "deleted_at"], filters: { id: sessionId }, withDeleted: true })
  return !!session?.deleted_at
}

/**
 * A payment the PSP took that the store cannot turn into an order: never silent. One error line
 * with the ids a person needs, and `payment-webhooks.payment_needs_attention` for a store to alert
 * or refund from. Emitting is best effort: the row is recorded `failed` with the same reason either way.
 */
export async function reportNeedsAttention(container: MedusaContainer, logger: Logger, claim: ClaimedDelivery, mapped: MappedWebhookEvent, reason: string): Promise<void> {
  const data = {
    provider_id: claim.provider_id,
    event_id: claim.event_id,
    event_type: claim.event_type,
    session_id: mapped.data?.session_id ?? null,
    psp_reference: mapped.psp_reference ?? null,
    amount: mapped.data?.amount === undefined ? null : Number(mapped.data.amount),
    currency_code: mapped.currency_code ?? null,
    reason,
  }
  logger.error(
    `Payment needs attention: ${claim.provider_id} ${data.psp_reference ?? claim.event_id} took ${data.amount ?? "?"} ${(data.currency_code ?? "").toUpperCase()} ` +
      `for session ${data.session_id ?? "?"} but no order can be made: ${reason}`
  )
  await emitPluginEvent(container, PaymentWebhookEvents.PAYMENT_NEEDS_ATTENTION, data).catch(() => undefined)
}
