import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { WebhookEffect } from "../../lib/webhook-result"
import type { EffectOutcome, EffectRun } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { formatAmount } from "../../lib/amounts"
import { emitPluginEvent, PaymentWebhookEvents } from "./plugin-events"

/** Session statuses a late failure or cancellation must never overwrite. */
const SETTLED = new Set(["authorized", "captured"])

/**
 * A declined or canceled payment. A decline is not terminal: the customer may retry on the same
 * payment (Stripe returns the intent to `requires_payment_method`), so the session stays open and
 * only stores are told why. A cancellation is terminal: the session becomes `canceled`. A late or
 * out-of-order event never downgrades a session already authorized or captured, but a payment Medusa
 * holds authorized, with nothing captured and not canceled by Medusa, that the PSP canceled (Stripe
 * cancels a card authorization nobody captured after 7 days) can never be captured: a person is told.
 * The store's event is emitted only when something changed: a replay of the row tells it nothing again.
 */
export async function applyPaymentOutcome(
  container: MedusaContainer,
  context: PaymentContext,
  effect: Extract<WebhookEffect, { kind: "payment_failed" | "payment_canceled" }>,
  run: EffectRun,
): Promise<EffectOutcome> {
  const { session, payment } = context
  if (effect.kind === "payment_canceled" && payment && !payment.canceled_at && payment.captured === 0) {
    return {
      status: "processed",
      did: { authorization_lost: payment.id },
      attention: {
        reason:
          `the PSP canceled payment ${payment.id} (${effect.reason ?? "no reason given"}) while Medusa holds ${formatAmount(payment.amount, payment.currency_code)} authorized ` +
          `and nothing captured${context.orderId ? ` on order ${context.orderId}` : ""}: it can no longer be captured; ask the customer to pay again, or cancel the order`,
        amount: payment.amount,
        details: { payment_id: payment.id, order_id: context.orderId ?? null, cancellation_reason: effect.reason },
      },
    }
  }
  if (SETTLED.has(session.status) || payment) {
    return { status: "ignored", reason: `session is already ${session.status}; a late ${effect.kind} does not downgrade it` }
  }
  const declined = effect.kind === "payment_failed"
  const cancels = !declined && session.status !== "canceled"
  if (cancels) {
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
  // A decline changes nothing in Medusa: telling the store is the effect, once. A cancellation tells it when it closed the session.
  if (declined ? run.firstProcessing : cancels) {
    await emitPluginEvent(container, declined ? PaymentWebhookEvents.PAYMENT_FAILED : PaymentWebhookEvents.PAYMENT_CANCELED, {
      session_id: session.id,
      cart_id: context.cartId ?? null,
      provider_id: session.provider_id,
      reason: effect.reason,
    })
  }
  return {
    status: "processed",
    did: declined ? { declined: effect.reason, session_status: session.status } : { session_status: "canceled" },
  }
}
