import type Stripe from "stripe"
import { invalidRequest, invalidParameter } from "./errors"
import { idOf } from "./ids"
import { newDispute, newRefund, type FakeDispute } from "./objects"
import type { RequestRef } from "./request"
import { patch, type StripeState } from "./state"

/** Dispute statuses in which the money is held by the bank, so Stripe refuses a refund. */
const OPEN_DISPUTE = ["needs_response", "under_review", "warning_needs_response", "warning_under_review"]

/** What to refund: a PaymentIntent's successful charge, or a charge directly. */
export type RefundTarget = { paymentIntent?: string; charge?: string }

/** Finds the charge a refund applies to, refusing as Stripe does when there is nothing captured to refund. */
export function refundableCharge(state: StripeState, target: RefundTarget): Stripe.Charge {
  if (target.paymentIntent) {
    const intent = state.intent(target.paymentIntent, "payment_intent")
    const chargeId = idOf(intent.latest_charge)
    const charge = chargeId ? state.charges.get(chargeId) : undefined
    if (intent.status !== "succeeded" || !charge || !charge.captured) {
      throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
        param: "payment_intent",
      })
    }
    if (target.charge && target.charge !== charge.id) {
      throw invalidRequest(`Charge ${target.charge} does not belong to PaymentIntent ${intent.id}.`, { param: "charge" })
    }
    return charge
  }
  if (target.charge) {
    const charge = state.charge(target.charge, "charge")
    if (charge.status !== "succeeded" || !charge.captured) {
      throw invalidRequest(`Charge ${charge.id} has not been captured, so it cannot be refunded.`, { param: "charge" })
    }
    return charge
  }
  throw invalidParameter(
    "One of the following params should be provided for this request: payment_intent or charge.",
    "payment_intent",
    "parameter_missing",
  )
}

/**
 * Refunds `amount` (default: all that is left) of a captured charge; the refund succeeds at once.
 * Refuses a fully refunded charge (`charge_already_refunded`), more than is left (`amount_too_large`)
 * and a charge under an open dispute (`charge_disputed`), with Stripe's codes.
 */
export function createRefund(
  state: StripeState,
  target: RefundTarget,
  details: { amount?: number; reason?: Stripe.Refund.Reason; metadata?: Stripe.Metadata; status?: "succeeded" | "pending" },
  request: RequestRef,
): Stripe.Refund {
  const charge = refundableCharge(state, target)
  if (charge.disputed && disputesOf(state, charge.id).some((dispute) => OPEN_DISPUTE.includes(dispute.status))) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed" })
  }
  const remaining = charge.amount - charge.amount_refunded
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" })
  }
  const amount = details.amount ?? remaining
  if (amount < 1) {
    throw invalidParameter("Invalid positive integer", "amount", "parameter_invalid_integer")
  }
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${amount} ${charge.currency}) is greater than unrefunded amount on charge (${remaining} ${charge.currency})`,
      { code: "amount_too_large", param: "amount" },
    )
  }
  const refund = newRefund(charge, state.now(), amount, {
    reason: details.reason ?? null,
    metadata: details.metadata ?? {},
  })
  if (details.status === "pending") {
    // Some refunds (bank transfers, a card network's delay) wait before they succeed or fail.
    refund.status = "pending"
  }
  state.refunds.set(refund.id, refund)
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded }
  patch(charge, { amount_refunded: charge.amount_refunded + amount, refunded: charge.amount_refunded + amount === charge.amount })
  state.emit("charge.refunded", charge, request, previous)
  state.emit("refund.created", refund, request)
  return refund
}

/**
 * A refund's outcome arrives later (`refund.updated`): a pending one succeeds, or any refund fails
 * (a closed card account), in which case Stripe gives the money back to the balance and the charge's
 * `amount_refunded` drops by the refund's amount.
 */
export function settleRefund(
  state: StripeState,
  refundId: string,
  outcome: "succeeded" | "failed",
  failureReason = "expired_or_canceled_card",
): Stripe.Refund {
  const refund = state.refunds.get(refundId)
  if (!refund) {
    throw new Error(`FakeStripe: no refund ${refundId}`)
  }
  if (refund.status === "failed" || refund.status === "canceled") {
    throw new Error(`FakeStripe: refund ${refundId} is already ${refund.status}`)
  }
  const previous = { status: refund.status }
  if (outcome === "failed") {
    const charge = state.charge(String(idOf(refund.charge)))
    patch(charge, { amount_refunded: charge.amount_refunded - refund.amount, refunded: false })
    patch(refund, { status: "failed", failure_reason: failureReason })
  } else {
    patch(refund, { status: "succeeded" })
  }
  state.emit("refund.updated", refund, { id: null, idempotency_key: null }, previous)
  return refund
}

/** The refunds of a PaymentIntent's charges, newest first (as `GET /v1/refunds` lists them). */
export function refundsOfIntent(state: StripeState, intentId: string): Stripe.Refund[] {
  return [...state.refunds.values()].filter((refund) => refund.payment_intent === intentId).reverse()
}

/** The disputes on a charge, oldest first. */
export function disputesOf(state: StripeState, chargeId: string): FakeDispute[] {
  return [...state.disputes.values()].filter((dispute) => dispute.charge === chargeId)
}

/** The cardholder's bank opens a dispute on the intent's captured charge (`charge.dispute.created`). */
export function openDispute(state: StripeState, intentId: string, details: { amount?: number; reason?: string } = {}): FakeDispute {
  const charge = refundableCharge(state, { paymentIntent: intentId })
  const dispute = newDispute(charge, state.now(), {
    amount: details.amount ?? charge.amount_captured - charge.amount_refunded,
    reason: details.reason ?? "fraudulent",
  })
  state.disputes.set(dispute.id, dispute)
  charge.disputed = true
  state.emit("charge.dispute.created", dispute, { id: null, idempotency_key: null })
  return dispute
}

/** The dispute is decided (`charge.dispute.closed`): `won` keeps the money, `lost` gives it to the cardholder. */
export function closeDispute(state: StripeState, disputeId: string, outcome: "won" | "lost"): FakeDispute {
  const dispute = state.disputes.get(disputeId)
  if (!dispute) {
    throw new Error(`FakeStripe: no dispute ${disputeId}`)
  }
  const previous = { status: dispute.status }
  dispute.status = outcome
  state.emit("charge.dispute.closed", dispute, { id: null, idempotency_key: null }, previous)
  return dispute
}
