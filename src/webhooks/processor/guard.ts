import { PaymentActions } from "@medusajs/framework/utils"
import { toMinorUnits } from "../../lib/money"
import type { PaymentContext } from "../effects/payment-context"
import type { Plan } from "./plan"

/** The guard's verdict: go on, or end the event as ignored (not ours) or failed (a payment that needs a person). */
export type GuardVerdict = { ok: true } | { ok: false; status: "ignored" | "failed"; reason: string }

/**
 * Judges a planned event against its payment session, before anything is carried out. Pure.
 * - The session must belong to the provider entry the event came through.
 * - An authorization or capture must be for the session's currency and amount, compared in
 *   minor units as the PSP charged them; a capture of less of an authorized payment (a partial
 *   capture in the PSP's dashboard) is the one legitimate difference.
 */
export function judge(plan: Exclude<Plan, { kind: "ignore" }>, providerKey: string, context: PaymentContext): GuardVerdict {
  const expectedProvider = `pp_${providerKey}`
  if (context.session.provider_id !== expectedProvider) {
    return {
      ok: false,
      status: "ignored",
      reason: `payment session ${plan.session_id} belongs to ${context.session.provider_id}, not to ${expectedProvider}`,
    }
  }
  if (plan.kind !== "payment") {
    return { ok: true }
  }
  const session = context.session
  const currency = (plan.currency_code ?? session.currency_code).toLowerCase()
  if (currency !== session.currency_code.toLowerCase()) {
    return { ok: false, status: "failed", reason: `currency ${currency.toUpperCase()} differs from the session's ${session.currency_code.toUpperCase()}` }
  }
  const expected = toMinorUnits(session.amount, session.currency_code)
  const received = toMinorUnits(plan.amount, session.currency_code)
  // Only a payment already authorized in Medusa can be captured in part (in the PSP's dashboard);
  // a capture with none before it (automatic capture, Yoco) must be for the whole session.
  const partialCapture = plan.action === PaymentActions.SUCCESSFUL && !!context.payment && received > 0 && received < expected
  if (received !== expected && !partialCapture) {
    return {
      ok: false,
      status: "failed",
      reason: `amount ${plan.amount} ${currency.toUpperCase()} differs from the session's ${session.amount} ${session.currency_code.toUpperCase()}`,
    }
  }
  return { ok: true }
}

/**
 * Whether Medusa already holds what a payment event asks for: the payment authorized (or captured
 * for at least the event's amount: judged by the captures, since a partial capture never marks the
 * payment captured) and, when the session belongs to a cart, the cart completed into an order.
 */
export function isAlreadyDone(plan: Extract<Plan, { kind: "payment" }>, context: PaymentContext): boolean {
  const orderDone = !context.cartId || !!context.orderId
  if (!context.payment || !orderDone) {
    return false
  }
  if (plan.action === PaymentActions.AUTHORIZED) {
    return true
  }
  const currency = context.payment.currency_code
  return toMinorUnits(context.payment.captured, currency) >= toMinorUnits(plan.amount, currency)
}
