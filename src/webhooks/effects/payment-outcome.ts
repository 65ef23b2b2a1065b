import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { WebhookEffect } from "../../lib/webhook-result"
import type { EffectOutcome } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { emitPluginEvent, PaymentWebhookEvents } from "./plugin-events"

/** Session statuses a late failure or cancellation must never overwrite. */
const SETTLED = new Set(["authorized", "captured"])

/**
 * A declined or canceled payment. A decline is not terminal: the customer may retry on the same
 * payment (Stripe returns the intent to `requires_payment_method`), so the session stays open and
 * only stores are told why. A cancellation is terminal: the session becomes `canceled`. A late or
 * out-of-order event never downgrades a session already authorized or captured.
 */
export async function applyPaymentOutcome(
  container: MedusaContainer,
  context: PaymentContext,
  effect: Extract<WebhookEffect, { kind: "payment_failed" | "payment_canceled" }>
): Promise<EffectOutcome> {
  const { session } = context
  if (SETTLED.has(session.status) || context.payment) {
    return { status: "ignored", reason: `session is already ${session.status}; a late ${effect.kind} does not downgrade it` }
  }
  const declined = effect.kind === "payment_failed"
  if (!declined && session.status !== "canceled") {
    const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    // The provider's update is a no-op for an unchanged amount; only the status changes.
    await paymentModule.updatePaymentSession({
      id: session.id,
      data: session.data,
      amount: session.amount,
      currency_code: session.currency_code,
      status: "canceled",
    })
  }
  await emitPluginEvent(
    container,
    declined ? PaymentWebhookEvents.PAYMENT_FAILED : PaymentWebhookEvents.PAYMENT_CANCELED,
    { session_id: session.id, cart_id: context.cartId ?? null, provider_id: session.provider_id, reason: effect.reason }
  )
  return { status: "processed", did: declined ? { declined: effect.reason, session_status: session.status } : { session_status: "canceled" } }
}
