import { PaymentActions } from "@medusajs/framework/utils"
import type { MappedWebhookEvent, WebhookEffect } from "../../lib/webhook-result"

/** What processing a mapped event comes to. Pure. */
export type Plan =
  /** Nothing to do, and why. */
  | { kind: "ignore"; reason: string }
  /** Authorize or capture through `processPaymentWorkflow`, completing the cart. */
  | { kind: "payment"; action: "authorized" | "captured"; session_id: string; amount: number; currency_code: string | null }
  /** What Medusa's own subscriber drops: failures, cancellations, refunds, disputes. */
  | { kind: "effect"; session_id: string; effect: WebhookEffect }

/** Decides what a mapped event asks for. */
export function planFor(mapped: MappedWebhookEvent): Plan {
  const sessionId = mapped.data?.session_id
  if (mapped.action === PaymentActions.NOT_SUPPORTED && !mapped.effect) {
    return { kind: "ignore", reason: mapped.reason ?? "not supported by the provider" }
  }
  if (!sessionId) {
    return { kind: "ignore", reason: mapped.reason ?? `${mapped.action} event without a payment session` }
  }
  if (sessionId.includes("\u0000")) {
    return { kind: "ignore", reason: "the event's payment session id contains a NUL character" }
  }
  if (mapped.effect) {
    return { kind: "effect", session_id: sessionId, effect: mapped.effect }
  }
  if (mapped.action === PaymentActions.AUTHORIZED || mapped.action === PaymentActions.SUCCESSFUL) {
    const amount = Number(mapped.data?.amount)
    if (!Number.isFinite(amount) || amount <= 0) {
      return { kind: "ignore", reason: `${mapped.action} event with no usable amount` }
    }
    return { kind: "payment", action: mapped.action, session_id: sessionId, amount, currency_code: mapped.currency_code ?? null }
  }
  return { kind: "ignore", reason: `${mapped.action}: nothing for Medusa to do yet` }
}
