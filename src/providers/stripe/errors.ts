import Stripe from "stripe"
import { MedusaError } from "@medusajs/framework/utils"

/** Stripe error codes the provider treats as "already done" rather than failures. */
export const STRIPE_UNEXPECTED_STATE = "payment_intent_unexpected_state"
export const STRIPE_ALREADY_REFUNDED = "charge_already_refunded"

/** The PaymentIntent Stripe attaches to some errors (e.g. capturing one that already succeeded). */
export function intentOfError(error: unknown): Stripe.PaymentIntent | undefined {
  if (error instanceof Stripe.errors.StripeError) {
    return error.payment_intent
  }
  return undefined
}

/** Stripe's error code, when the error came from Stripe. */
export function stripeCodeOf(error: unknown): string | undefined {
  return error instanceof Stripe.errors.StripeError ? error.code : undefined
}

/**
 * Wraps a failure of a Stripe call in a MedusaError naming the operation. Only Stripe's message
 * and request id travel on: never the key, never the card data.
 */
export function stripeFailure(operation: string, error: unknown): MedusaError {
  if (error instanceof MedusaError) {
    return error
  }
  if (error instanceof Stripe.errors.StripeError) {
    const type =
      error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError
        ? MedusaError.Types.INVALID_DATA
        : MedusaError.Types.UNEXPECTED_STATE
    const request = error.requestId ? ` (request ${error.requestId})` : ""
    return new MedusaError(type, `Stripe ${operation} failed: ${error.message}${request}`)
  }
  const message = error instanceof Error ? error.message : String(error)
  return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Stripe ${operation} failed: ${message}`)
}
