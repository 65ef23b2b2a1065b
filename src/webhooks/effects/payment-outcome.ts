import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { WebhookEffect } from "../../lib/webhook-result"
import type { EffectOutcome } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { emitPluginEvent, PaymentWebhookEvents } from "./plugin-events"

/** Session statuses a late failure or cancellation must never overwrite. */
const SETTLED = new Set(["authorized", "captured"])

/**
 * A declined or canceled payment: the session becomes `error` / `canceled` so the storefront can
 * offer another attempt, unless it was already authorized or captured (a late or out-of-order event).
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
  const status = effect.kind === "payment_failed" ? "error" : "canceled"
  if (session.status !== status) {
    const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
    // The provider's update is a no-op for an unchanged amount; only the status changes.
    await paymentModule.updatePaymentSession({
      id: session.id,
      data: session.data,
      amount: session.amount,
      currency_code: session.currency_code,
      status,
    })
  }
  await emitPluginEvent(
    container,
    effect.kind === "payment_failed" ? PaymentWebhookEvents.PAYMENT_FAILED : PaymentWebhookEvents.PAYMENT_CANCELED,
    { session_id: session.id, cart_id: context.cartId ?? null, provider_id: session.provider_id, reason: effect.reason }
  )
  return { status: "processed", did: { session_status: status } }
}
