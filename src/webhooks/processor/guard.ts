import { PaymentActions } from "@medusajs/framework/utils"
import type { PaymentState } from "../effects/payment-context"
import type { Plan } from "./plan"

/** What the guard asks of the event's provider: the PSP object the session pays through, and amounts in the PSP's minor units. */
export type PspFacts = { sessionReference?: string; minorUnits(amount: number, currencyCode: string): number }

/** The guard's verdict: go on, or end the event as ignored (not ours) or failed (a payment that needs a person). */
export type GuardVerdict = { ok: true } | { ok: false; status: "ignored" | "failed"; reason: string; amountMismatch?: true }

/**
 * Judges a planned event against its payment session, before anything is carried out. Pure.
 * - The session must belong to the provider entry the event came through.
 * - An authorization or capture must be for the session's currency and amount, compared in
 *   minor units as the PSP charged them; a capture of less of an authorized payment (a partial
 *   capture in the PSP's dashboard) is the one legitimate difference.
 */
export function judge(plan: Exclude<Plan, { kind: "ignore" }>, providerKey: string, context: PaymentState, psp: PspFacts): GuardVerdict {
  const { sessionReference } = psp
  const expectedProvider = `pp_${providerKey}`
  if (context.session.provider_id !== expectedProvider) {
    return {
      ok: false,
      status: "ignored",
      reason: `payment session ${plan.session_id} belongs to ${context.session.provider_id}, not to ${expectedProvider}`,
    }
  }
  if (sessionReference && plan.psp_reference !== sessionReference) {
    return otherPspObject(plan, sessionReference)
  }
  if (plan.kind !== "payment") {
    return { ok: true }
  }
  const session = context.session
  const currency = (plan.currency_code ?? session.currency_code).toLowerCase()
  if (currency !== session.currency_code.toLowerCase()) {
    return {
      ok: false,
      status: "failed",
      amountMismatch: true,
      reason: `currency ${currency.toUpperCase()} differs from the session's ${session.currency_code.toUpperCase()}`,
    }
  }
  const expected = psp.minorUnits(session.amount, session.currency_code)
  const received = psp.minorUnits(plan.amount, session.currency_code)
  // Only a payment already authorized in Medusa can be captured in part (in the PSP's dashboard);
  // a capture with none before it (automatic capture, Yoco) must be for the whole session.
  const partialCapture = plan.action === PaymentActions.SUCCESSFUL && !!context.payment && received > 0 && received < expected
  if (received !== expected && !partialCapture) {
    return {
      ok: false,
      status: "failed",
      amountMismatch: true,
      reason: `amount ${plan.amount} ${currency.toUpperCase()} differs from the session's ${session.amount} ${session.currency_code.toUpperCase()}`,
    }
  }
  return { ok: true }
}

/**
 * An event about another PSP object than the one the session pays through, though it names the
 * session: another integration's payment on the account (or anyone's metadata) is ignored. A payment
 * on an object this store created for the session and later replaced (a checkout made before the cart
 * changed, paid in a tab left open) took money that cannot become this order: a person must look.
 */
function otherPspObject(plan: Exclude<Plan, { kind: "ignore" }>, sessionReference: string): GuardVerdict {
  const named = plan.psp_reference ? `payment ${plan.psp_reference} at the PSP` : "an event naming no PSP payment"
  if (plan.kind === "payment" && plan.created_here) {
    return {
      ok: false,
      status: "failed",
      reason: `${named}, which this store created for session ${plan.session_id}, was paid, but the session now pays through ${sessionReference}: refund it or place the order by hand`,
    }
  }
  return {
    ok: false,
    status: "ignored",
    reason: `${named} is not the one session ${plan.session_id} pays through (${sessionReference}), though it names the session`,
  }
}

/**
 * Whether Medusa already holds what a payment event asks for: the payment authorized (or captured
 * for at least the event's amount: judged by the captures, since a partial capture never marks the
 * payment captured) and, when the session belongs to a cart, the cart completed into an order.
 */
export function isAlreadyDone(plan: Extract<Plan, { kind: "payment" }>, context: PaymentState, psp: Pick<PspFacts, "minorUnits">): boolean {
  const orderDone = !context.cartId || !!context.orderId
  if (!context.payment || !orderDone) {
    return false
  }
  if (plan.action === PaymentActions.AUTHORIZED) {
    return true
  }
  const currency = context.payment.currency_code
  return psp.minorUnits(context.payment.captured, currency) >= psp.minorUnits(plan.amount, currency)
}
