import type { IOrderModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { isRecord } from "../../lib/records"
import type { WebhookEffect } from "../../lib/webhook-result"
import type { EffectOutcome } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { emitPluginEvent, PaymentWebhookEvents } from "./plugin-events"

/** Key of the dispute flag in the order's metadata. */
export const DISPUTE_METADATA_KEY = "payment_dispute"

/** True when the order already records this dispute as decided. */
function isClosedDispute(recorded: unknown, disputeId: string): boolean {
  return isRecord(recorded) && recorded.id === disputeId && recorded.closed === true
}

/** True when the order records this very dispute in this very status. */
function isSameDispute(recorded: unknown, dispute: { id: string; status: string }): boolean {
  return isRecord(recorded) && recorded.id === dispute.id && recorded.status === dispute.status
}

/**
 * A chargeback opened or closed at the PSP: the order's metadata carries the dispute (id, status,
 * reason, amount, evidence due date) for the admin to see, and stores are told.
 */
export async function applyDispute(
  container: MedusaContainer,
  context: PaymentContext,
  effect: Extract<WebhookEffect, { kind: "dispute" }>,
): Promise<EffectOutcome> {
  const sessionId = context.session.id
  if (!context.orderId) {
    return { status: "retry", reason: `session ${sessionId} has no order to flag with dispute ${effect.dispute.id}` }
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = await query.graph({ entity: "order", fields: ["id", "metadata"], filters: { id: context.orderId } })
  const metadata: Record<string, unknown> = { ...(order?.metadata ?? {}) }
  const recorded = metadata[DISPUTE_METADATA_KEY]
  if (effect.phase === "opened" && isClosedDispute(recorded, effect.dispute.id)) {
    // Stripe does not order its deliveries: a `created` arriving after the `closed` changes nothing.
    return { status: "ignored", reason: `dispute ${effect.dispute.id} is already closed on order ${context.orderId}` }
  }
  if (isSameDispute(recorded, effect.dispute)) {
    // A replay or a second delivery: the order says so already, and the store was told.
    return {
      status: "processed",
      reason: `dispute ${effect.dispute.id} is already recorded on order ${context.orderId} as ${effect.dispute.status}`,
      did: { flagged_order: context.orderId, dispute_id: effect.dispute.id },
    }
  }
  metadata[DISPUTE_METADATA_KEY] = { ...effect.dispute, updated_at: new Date().toISOString() }
  await container.resolve<IOrderModuleService>(Modules.ORDER).updateOrders(context.orderId, { metadata })
  await emitPluginEvent(container, effect.phase === "opened" ? PaymentWebhookEvents.DISPUTE_OPENED : PaymentWebhookEvents.DISPUTE_CLOSED, {
    order_id: context.orderId,
    payment_id: context.payment?.id ?? null,
    dispute: effect.dispute,
  })
  return {
    status: "processed",
    did: { flagged_order: context.orderId, dispute_id: effect.dispute.id, dispute_status: effect.dispute.status },
  }
}
