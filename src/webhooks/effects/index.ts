import type { MedusaContainer } from "@medusajs/framework/types"
import type { WebhookEffect, WebhookSource } from "../../lib/webhook-result"
import { applyDispute } from "./disputes"
import type { EffectOutcome, EffectRun } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { applyPaymentOutcome } from "./payment-outcome"
import { applyRefunds } from "./refunds"

export type { AttentionReport, EffectOutcome, EffectRun } from "./outcome"
export { PaymentWebhookEvents } from "./plugin-events"

/** Carries out what an event means beyond Medusa's own authorize/capture. */
export async function applyEffect(
  container: MedusaContainer,
  source: WebhookSource,
  context: PaymentContext,
  effect: WebhookEffect,
  run: EffectRun,
): Promise<EffectOutcome> {
  switch (effect.kind) {
    case "payment_failed":
    case "payment_canceled":
      return applyPaymentOutcome(container, context, effect, run)
    case "refunds":
      return applyRefunds(container, source, context, effect)
    case "dispute":
      return applyDispute(container, context, effect)
  }
}
