import type { MedusaContainer } from "@medusajs/framework/types"
import type { WebhookEffect } from "../../lib/webhook-result"
import { applyDispute } from "./disputes"
import type { EffectOutcome } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { applyPaymentOutcome } from "./payment-outcome"
import { applyRefundFailed, applyRefunds } from "./refunds"

export type { EffectOutcome } from "./outcome"
export { PaymentWebhookEvents } from "./plugin-events"

/** Carries out what an event means beyond Medusa's own authorize/capture. */
export async function applyEffect(container: MedusaContainer, context: PaymentContext, effect: WebhookEffect): Promise<EffectOutcome> {
  switch (effect.kind) {
    case "payment_failed":
    case "payment_canceled":
      return applyPaymentOutcome(container, context, effect)
    case "refunds":
      return applyRefunds(container, context, effect)
    case "refund_failed":
      return applyRefundFailed(container, context, effect)
    case "dispute":
      return applyDispute(container, context, effect)
  }
}
