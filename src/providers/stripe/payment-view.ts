import type Stripe from "stripe"
import { untilAborted } from "../../lib/abort"
import { fromMinorUnits } from "../base/money"
import type { PspPaymentView } from "../../lib/webhook-result"
import { stripeFailure } from "./errors"

/**
 * The session's PaymentIntent as Stripe shows it now, for the admin: its status, amount, what was
 * received (captured) and what its latest charge had refunded (the charge that took the money).
 * `signal` ends the wait when it fires; `stripe` should be a client tied to the same signal
 * (`createAbortableStripeClient`), so the request itself is canceled too.
 */
export async function readStripePaymentView(
  stripe: Stripe,
  sessionData: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<PspPaymentView> {
  const id = sessionData.id
  if (typeof id !== "string" || !id.startsWith("pi_")) {
    throw new Error("the payment holds no Stripe PaymentIntent id")
  }
  let intent: Stripe.PaymentIntent
  try {
    // The SDK retries a request that failed on the network, an aborted one too: the caller is not kept
    // waiting through those retries (they fail at once, their fetch already aborted).
    intent = await untilAborted(stripe.paymentIntents.retrieve(id, { expand: ["latest_charge"] }), signal)
  } catch (error) {
    throw stripeFailure("reading the payment for the admin", error)
  }
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null
  const currency = intent.currency
  return {
    status: intent.status,
    amount: fromMinorUnits(intent.amount, currency),
    captured: fromMinorUnits(intent.amount_received, currency),
    refunded: fromMinorUnits(charge?.amount_refunded ?? 0, currency),
    currency_code: currency.toLowerCase(),
  }
}
