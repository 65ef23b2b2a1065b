import type Stripe from "stripe"
import { intentUnexpectedState, invalidRequest, docUrl, StripeApiError } from "./errors"
import { idOf, newId } from "./ids"
import { newCardPaymentMethod, newCharge, TEST_CARDS, type CardOutcome } from "./objects"
import { NO_REQUEST, type RequestRef } from "./request"
import { patch, type StripeState } from "./state"

/** Statuses in which a customer can still pay (and the intent's amount can change). */
const PAYABLE: readonly string[] = ["requires_payment_method", "requires_confirmation", "requires_action"]
const CANCELABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"]

/** Why a payment attempt failed, as it lands in `last_payment_error`. */
export type PaymentFailure = { code?: string; declineCode?: string; message?: string }

/**
 * Resolves `payment_method` as Stripe does: a test token (`pm_card_visa`) mints a new `pm_…`
 * each time it is used; anything else must be a PaymentMethod the account holds.
 */
export function resolvePaymentMethod(state: StripeState, idOrToken: string, param = "payment_method"): Stripe.PaymentMethod {
  const card = TEST_CARDS[idOrToken]
  if (card) {
    const method = newCardPaymentMethod(state.now(), card)
    state.paymentMethods.set(method.id, method)
    state.cardOutcomes.set(method.id, card.outcome)
    return method
  }
  return state.paymentMethod(idOrToken, param)
}

/** A card for a test-side payment when the intent has none yet (the customer typed 4242…). */
function ensurePaymentMethod(state: StripeState, intent: Stripe.PaymentIntent): void {
  if (!intent.payment_method) {
    intent.payment_method = resolvePaymentMethod(state, "pm_card_visa").id
  }
}

function requirePayable(intent: Stripe.PaymentIntent, action: string): void {
  if (!PAYABLE.includes(intent.status) && intent.status !== "processing") {
    throw new Error(`FakeStripe: cannot ${action} ${intent.id}, its status is ${intent.status}`)
  }
}

/**
 * The customer's payment succeeded at the bank: manual capture → `requires_capture` with
 * `amount_capturable = amount`; automatic capture → `succeeded` with `amount_received = amount`.
 */
export function authorizeIntent(state: StripeState, intent: Stripe.PaymentIntent, request: RequestRef = NO_REQUEST): void {
  requirePayable(intent, "authorize")
  ensurePaymentMethod(state, intent)
  const manual = intent.capture_method === "manual"
  const charge = newCharge(intent, state.now(), { captured: !manual })
  state.charges.set(charge.id, charge)
  patch(intent, {
    latest_charge: charge.id,
    last_payment_error: null,
    next_action: null,
    processing: null,
    status: manual ? "requires_capture" : "succeeded",
    amount_capturable: manual ? intent.amount : 0,
    amount_received: manual ? 0 : intent.amount,
  })
  attachForFutureUsage(state, intent)
  state.emit("charge.succeeded", charge, request)
  state.emit(manual ? "payment_intent.amount_capturable_updated" : "payment_intent.succeeded", intent, request)
}

/** The customer's payment attempt was declined: back to `requires_payment_method` with `last_payment_error`. */
export function failIntent(
  state: StripeState,
  intent: Stripe.PaymentIntent,
  failure: PaymentFailure = {},
  request: RequestRef = NO_REQUEST,
): StripeApiError {
  requirePayable(intent, "fail")
  ensurePaymentMethod(state, intent)
  const code = failure.code ?? "card_declined"
  const declineCode = failure.declineCode ?? (code === "card_declined" ? "generic_decline" : undefined)
  const message = failure.message ?? "Your card was declined."
  const charge = newCharge(intent, state.now(), { captured: false, failure: { code, declineCode, message } })
  state.charges.set(charge.id, charge)
  const methodId = idOf(intent.payment_method)
  const method = methodId ? state.paymentMethods.get(methodId) : undefined
  const lastError: Stripe.PaymentIntent.LastPaymentError = {
    charge: charge.id,
    code,
    doc_url: docUrl(code),
    message,
    type: "card_error",
  }
  if (declineCode) {
    lastError.decline_code = declineCode
  }
  if (method) {
    lastError.payment_method = structuredClone(method)
  }
  patch(intent, {
    latest_charge: charge.id,
    last_payment_error: lastError,
    // A declined card is detached from the intent, so the customer must supply a new one.
    payment_method: null,
    next_action: null,
    processing: null,
    status: "requires_payment_method",
  })
  state.emit("charge.failed", charge, request)
  state.emit("payment_intent.payment_failed", intent, request)
  return new StripeApiError(402, {
    type: "card_error",
    code,
    message,
    doc_url: docUrl(code),
    charge: charge.id,
    ...(declineCode ? { decline_code: declineCode } : {}),
    ...(method ? { payment_method: structuredClone(method) } : {}),
    payment_intent: structuredClone(intent),
  })
}

/** The bank asks for 3-D Secure: `requires_action` with a `use_stripe_sdk` next action. */
export function requireAction(state: StripeState, intent: Stripe.PaymentIntent, request: RequestRef = NO_REQUEST): void {
  requirePayable(intent, "require action on")
  ensurePaymentMethod(state, intent)
  intent.status = "requires_action"
  intent.next_action = {
    type: "use_stripe_sdk",
    use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: `https://hooks.stripe.com/redirect/authenticate/${intent.id}` },
  }
  state.emit("payment_intent.requires_action", intent, request)
}

/** The payment is being processed asynchronously (bank debits, some wallets). */
export function markProcessing(state: StripeState, intent: Stripe.PaymentIntent): void {
  requirePayable(intent, "process")
  ensurePaymentMethod(state, intent)
  patch(intent, { status: "processing", next_action: null, processing: { type: "card" } })
  state.emit("payment_intent.processing", intent, NO_REQUEST)
}

/** `POST /v1/payment_intents/:id/confirm` (and `confirm=true` on create): the test card decides the outcome. */
export function confirmIntent(
  state: StripeState,
  intent: Stripe.PaymentIntent,
  paymentMethodId: string | undefined,
  request: RequestRef,
): void {
  if (!PAYABLE.includes(intent.status)) {
    throw intentUnexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be confirmed: ${PAYABLE.join(", ")}.`,
      intent,
    )
  }
  if (paymentMethodId) {
    intent.payment_method = resolvePaymentMethod(state, paymentMethodId).id
  }
  const methodId = idOf(intent.payment_method)
  if (!methodId) {
    throw intentUnexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the " +
        "PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a " +
        "payment method or ConfirmationToken.",
      intent,
    )
  }
  const outcome: CardOutcome = state.cardOutcomes.get(methodId) ?? "succeed"
  if (outcome === "decline") {
    throw failIntent(state, intent, {}, request)
  }
  if (outcome === "insufficient_funds") {
    throw failIntent(state, intent, { declineCode: "insufficient_funds", message: "Your card has insufficient funds." }, request)
  }
  if (outcome === "authenticate" && intent.status !== "requires_action") {
    requireAction(state, intent, request)
    return
  }
  authorizeIntent(state, intent, request)
}

/** `POST /v1/payment_intents/:id/capture`: only from `requires_capture`; a partial capture releases the rest. */
export function captureIntent(
  state: StripeState,
  intent: Stripe.PaymentIntent,
  amountToCapture: number | undefined,
  request: RequestRef,
): void {
  if (intent.status !== "requires_capture") {
    throw intentUnexpectedState(
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. ` +
        "Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
      intent,
    )
  }
  const amount = amountToCapture ?? intent.amount_capturable
  if (amount > intent.amount_capturable) {
    throw invalidRequest(`The amount to capture (${amount}) is greater than the amount capturable (${intent.amount_capturable}).`, {
      code: "amount_too_large",
      param: "amount_to_capture",
      paymentIntent: structuredClone(intent),
    })
  }
  const charge = state.charge(String(idOf(intent.latest_charge)))
  const previous = { amount_captured: charge.amount_captured, captured: false }
  patch(charge, {
    captured: true,
    amount_captured: amount,
    balance_transaction: charge.balance_transaction ?? newId("txn"),
    // Stripe reports the uncaptured remainder as refunded on the charge.
    amount_refunded: charge.amount - amount,
    refunded: amount === 0,
  })
  patch(intent, { status: "succeeded", amount_capturable: 0, amount_received: amount })
  state.captures.set(intent.id, (state.captures.get(intent.id) ?? 0) + 1)
  state.emit("charge.captured", charge, request, previous)
  state.emit("payment_intent.succeeded", intent, request)
}

/** `POST /v1/payment_intents/:id/cancel`; canceling an authorization releases the held funds. */
export function cancelIntent(
  state: StripeState,
  intent: Stripe.PaymentIntent,
  reason: Stripe.PaymentIntent.CancellationReason | undefined,
  request: RequestRef,
): void {
  if (!CANCELABLE.includes(intent.status)) {
    throw intentUnexpectedState(
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. ` +
        `Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
      intent,
    )
  }
  if (intent.status === "requires_capture") {
    const charge = state.charge(String(idOf(intent.latest_charge)))
    patch(charge, { amount_refunded: charge.amount, refunded: true })
  }
  patch(intent, {
    status: "canceled",
    canceled_at: state.now(),
    cancellation_reason: reason ?? null,
    amount_capturable: 0,
    next_action: null,
  })
  state.emit("payment_intent.canceled", intent, request)
}

/** Saves the card on the customer when the intent asked for it (`setup_future_usage` + `customer`). */
function attachForFutureUsage(state: StripeState, intent: Stripe.PaymentIntent): void {
  const customerId = idOf(intent.customer)
  const methodId = idOf(intent.payment_method)
  if (!intent.setup_future_usage || !customerId || !methodId) {
    return
  }
  const method = state.paymentMethods.get(methodId)
  if (method && !method.customer) {
    method.customer = customerId
    state.emit("payment_method.attached", method, NO_REQUEST)
  }
}
