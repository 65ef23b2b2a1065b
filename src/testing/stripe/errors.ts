import type Stripe from "stripe"

/** The `error` member of a Stripe API error response, as the SDK reads it. */
export type StripeErrorPayload = {
  type: "invalid_request_error" | "card_error" | "idempotency_error" | "api_error"
  message: string
  code?: string
  param?: string
  doc_url?: string
  decline_code?: string
  charge?: string
  payment_intent?: Stripe.PaymentIntent
  payment_method?: Stripe.PaymentMethod
  setup_intent?: Stripe.SetupIntent
}

/**
 * An error the fake answers with `{ error: payload }` and `status`.
 * `executed` is false for errors raised before the endpoint did anything (bad parameters, auth):
 * Stripe does not store those under an idempotency key, so a retry with the same key runs again.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly payload: StripeErrorPayload,
    readonly executed = true,
  ) {
    super(payload.message)
    this.name = "StripeApiError"
  }
}

/** Stripe's documentation link for an error code (`resource_missing` → `…/resource-missing`). */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`
}

type InvalidRequestOptions = {
  code?: string
  param?: string
  status?: number
  paymentIntent?: Stripe.PaymentIntent
  setupIntent?: Stripe.SetupIntent
  executed?: boolean
}

/** A 400 `invalid_request_error` (or another status) with the optional code, param and intent. */
export function invalidRequest(message: string, options: InvalidRequestOptions = {}): StripeApiError {
  const payload: StripeErrorPayload = { type: "invalid_request_error", message }
  if (options.code) {
    payload.code = options.code
    payload.doc_url = docUrl(options.code)
  }
  if (options.param) {
    payload.param = options.param
  }
  if (options.paymentIntent) {
    payload.payment_intent = options.paymentIntent
  }
  if (options.setupIntent) {
    payload.setup_intent = options.setupIntent
  }
  return new StripeApiError(options.status ?? 400, payload, options.executed ?? true)
}

/** A parameter Stripe would refuse before running the endpoint (nothing is stored for its idempotency key). */
export function invalidParameter(message: string, param: string, code?: string): StripeApiError {
  return invalidRequest(message, { param, code, executed: false })
}

/** `404 resource_missing`, e.g. `No such payment_intent: 'pi_123'`. */
export function resourceMissing(kind: string, id: string, param = "id"): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: "resource_missing", param, status: 404 })
}

/** `400 payment_intent_unexpected_state` carrying the intent, as Stripe answers a transition it refuses. */
export function intentUnexpectedState(message: string, intent: Stripe.PaymentIntent): StripeApiError {
  return invalidRequest(message, { code: "payment_intent_unexpected_state", paymentIntent: structuredClone(intent) })
}
