import { PaymentActions } from "@medusajs/framework/utils"
import type { MappedWebhookEvent, WebhookEffect } from "../../lib/webhook-result"

/** What processing a mapped event comes to. Pure. */
export type Plan =
  /** Nothing to do, and why. */
  | { kind: "ignore"; reason: string }
  /** Authorize or capture through `processPaymentWorkflow`, completing the cart. */
  | ({ kind: "payment"; action: "authorized" | "captured"; session_id: string; amount: number; currency_code: string | null } & PspObject)
  /** What Medusa's own subscriber drops: failures, cancellations, refunds, disputes. */
  | ({ kind: "effect"; session_id: string; effect: WebhookEffect } & PspObject)

/** The PSP object the event is about (Stripe's PaymentIntent, Yoco's checkout), and whether this store created it. */
type PspObject = { psp_reference?: string; created_here?: boolean }

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
  const object: PspObject = {
    ...(mapped.psp_reference ? { psp_reference: mapped.psp_reference } : {}),
    ...(mapped.created_here !== undefined ? { created_here: mapped.created_here } : {}),
  }
  if (mapped.effect) {
    return { kind: "effect", session_id: sessionId, effect: mapped.effect, ...object }
  }
  if (mapped.action === PaymentActions.AUTHORIZED || mapped.action === PaymentActions.SUCCESSFUL) {
    const amount = Number(mapped.data?.amount)
    if (!Number.isFinite(amount) || amount <= 0) {
      return { kind: "ignore", reason: `${mapped.action} event with no usable amount` }
    }
    return { kind: "payment", action: mapped.action, session_id: sessionId, amount, currency_code: mapped.currency_code ?? null, ...object }
  }
  return { kind: "ignore", reason: `${mapped.action}: nothing for Medusa to do yet` }
}
