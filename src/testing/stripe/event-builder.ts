import Stripe from "stripe"
import type { HandledStripeEventType } from "../../providers/stripe/events"
import type { FakeStripeEvent } from "./events"
import { randomToken } from "./ids"
import { newPaymentIntent } from "./objects"
import { authorizeIntent, cancelIntent, failIntent, markProcessing, requireAction } from "./payment-intents"
import { closeDispute, createRefund, openDispute } from "./refunds"
import { NO_REQUEST } from "./request"
import { patch, StripeState } from "./state"

/** What {@link buildStripeTriggerEvent} builds an event about. */
export type StripeTriggerInput = {
  type: HandledStripeEventType
  /** The Medusa payment session: the PaymentIntent's `metadata.session_id`, as the provider sets it. */
  sessionId: string
  /** Minor units. */
  amount: number
  currency: string
  /** The session's PaymentIntent (`pi_…`, its `data.id`); a new id when absent. */
  intentId?: string
  /** Reuse an event id, to see a duplicate delivery answered as one. */
  eventId?: string
  /** Clock in milliseconds. */
  now?: number
}

/**
 * Moves a new PaymentIntent through what the customer, the bank or the dashboard does before Stripe
 * sends the event: the same state machine as the loopback fake, so the objects carry every field
 * in the state Stripe would show (charges, refunds and disputes included).
 */
const STEPS: Record<HandledStripeEventType, (state: StripeState, intent: Stripe.PaymentIntent) => void> = {
  "payment_intent.created": (state, intent) => void state.emit("payment_intent.created", intent, NO_REQUEST),
  "payment_intent.amount_capturable_updated": (state, intent) => authorizeIntent(state, intent),
  "payment_intent.succeeded": (state, intent) => authorizeIntent(state, intent),
  "payment_intent.processing": (state, intent) => markProcessing(state, intent),
  "payment_intent.requires_action": (state, intent) => requireAction(state, intent),
  "payment_intent.partially_funded": (state, intent) => partiallyFund(state, intent),
  "payment_intent.payment_failed": (state, intent) => void failIntent(state, intent),
  "payment_intent.canceled": (state, intent) => cancelIntent(state, intent, "requested_by_customer", NO_REQUEST),
  "charge.refunded": (state, intent) => {
    authorizeIntent(state, intent)
    createRefund(state, { paymentIntent: intent.id }, {}, NO_REQUEST)
  },
  "refund.created": (state, intent) => {
    authorizeIntent(state, intent)
    createRefund(state, { paymentIntent: intent.id }, {}, NO_REQUEST)
  },
  "refund.updated": (state, intent) => {
    authorizeIntent(state, intent)
    failRefund(state, createRefund(state, { paymentIntent: intent.id }, {}, NO_REQUEST))
  },
  "charge.dispute.created": (state, intent) => {
    authorizeIntent(state, intent)
    openDispute(state, intent.id)
  },
  "charge.dispute.closed": (state, intent) => {
    authorizeIntent(state, intent)
    closeDispute(state, openDispute(state, intent.id).id, "lost")
  },
}

/** The bank returned a refund Stripe had sent (e.g. the card was closed): `refund.updated` to `failed`. */
function failRefund(state: StripeState, refund: Stripe.Refund): void {
  const previous = { status: refund.status, failure_reason: null }
  patch(refund, { status: "failed", failure_reason: "expired_or_canceled_card", failure_balance_transaction: `txn_${randomToken(24)}` })
  state.emit("refund.updated", refund, NO_REQUEST, previous)
}

/** A bank transfer (customer balance) that covered part of the amount: Stripe waits for the rest. */
function partiallyFund(state: StripeState, intent: Stripe.PaymentIntent): void {
  patch(intent, {
    status: "requires_action",
    payment_method_types: ["customer_balance"],
    next_action: {
      type: "display_bank_transfer_instructions",
      display_bank_transfer_instructions: {
        amount_remaining: Math.ceil(intent.amount / 2),
        currency: intent.currency,
        hosted_instructions_url: `https://payments.stripe.com/bank_transfers/instructions/test_${randomToken(24)}`,
        reference: randomToken(12).toUpperCase(),
        type: "us_bank_transfer",
      },
    },
  })
  state.emit("payment_intent.partially_funded", intent, NO_REQUEST)
}

/**
 * The full Stripe Event object Stripe would send for `type` about the session's PaymentIntent:
 * the intent (or its charge or dispute) in the state that event reports, `metadata.session_id` on
 * the intent and on its charges (Stripe copies it), a fresh `evt_…` id, the SDK's API version.
 */
export function buildStripeTriggerEvent(input: StripeTriggerInput): FakeStripeEvent {
  const clock = input.now ?? Date.now()
  const state = new StripeState(() => clock, Stripe.API_VERSION)
  const fresh = newPaymentIntent(state.now(), input.amount, input.currency.toLowerCase())
  const id = input.intentId ?? fresh.id
  const intent: Stripe.PaymentIntent = {
    ...fresh,
    id,
    client_secret: `${id}_secret_${randomToken(25)}`,
    metadata: { session_id: input.sessionId },
    // Only a manual-capture intent is authorized without being captured.
    capture_method: input.type === "payment_intent.amount_capturable_updated" ? "manual" : fresh.capture_method,
  }
  state.intents.set(id, intent)
  STEPS[input.type](state, intent)
  const event = [...state.events].reverse().find((candidate) => candidate.type === input.type)
  if (!event) {
    throw new Error(`No ${input.type} event was generated`)
  }
  return input.eventId ? { ...event, id: input.eventId } : event
}
