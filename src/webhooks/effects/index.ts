import type { MedusaContainer } from "@medusajs/framework/types"
import type { WebhookEffect } from "../../lib/webhook-result"
import { applyDispute } from "./disputes"
import type { EffectOutcome } from "./outcome"
import { applyPaymentOutcome } from "./payment-outcome"
import { applyRefundFailed, applyRefunds } from "./refunds"

export type { EffectOutcome } from "./outcome"
export { PaymentWebhookEvents } from "./plugin-events"

/** Carries out what an event means beyond Medusa's own authorize/capture. */
export async function applyEffect(container: MedusaContainer, sessionId: string, effect: WebhookEffect): Promise<EffectOutcome> {
  switch (effect.kind) {
    case "payment_failed":
    case "payment_canceled":
      return applyPaymentOutcome(container, sessionId, effect)
    case "refunds":
      return applyRefunds(container, sessionId, effect)
    case "refund_failed":
      return applyRefundFailed(container, sessionId, effect)
    case "dispute":
      return applyDispute(container, sessionId, effect)
  }
}

/** Reads the effect recorded in an inbox row's details, if it is one this plugin knows. */
export function effectOf(details: Record<string, unknown> | null): WebhookEffect | undefined {
  const effect = details?.effect
  if (typeof effect !== "object" || effect === null || !("kind" in effect)) {
    return undefined
  }
  const kinds = ["payment_failed", "payment_canceled", "refunds", "refund_failed", "dispute"]
  return kinds.includes(String(effect.kind)) ? (effect as WebhookEffect) : undefined
}
