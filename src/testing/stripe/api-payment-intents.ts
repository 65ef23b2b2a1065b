import type Stripe from "stripe"
import { intentUnexpectedState, invalidParameter } from "./errors"
import { newPaymentIntent } from "./objects"
import { applyMetadata, type Params } from "./params"
import { cancelIntent, captureIntent, confirmIntent, resolvePaymentMethod } from "./payment-intents"
import { listOf, type Route, type RouteContext } from "./routes"
import type { StripeState } from "./state"

// Parameter names from stripe@23's PaymentIntent*Params types: Stripe answers `parameter_unknown` to anything else.
const UPDATE_PARAMS = [
  "allowed_payment_method_types",
  "amount",
  "amount_details",
  "application_fee_amount",
  "capture_method",
  "currency",
  "customer",
  "customer_account",
  "description",
  "excluded_payment_method_types",
  "hooks",
  "metadata",
  "payment_details",
  "payment_method",
  "payment_method_configuration",
  "payment_method_data",
  "payment_method_options",
  "receipt_email",
  "setup_future_usage",
  "shipping",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "transfer_data",
  "transfer_group",
]
const CREATE_PARAMS = [
  ...UPDATE_PARAMS,
  "automatic_payment_methods",
  "confirm",
  "confirmation_method",
  "confirmation_token",
  "error_on_requires_action",
  "mandate",
  "mandate_data",
  "off_session",
  "on_behalf_of",
  "radar_options",
  "return_url",
  "use_stripe_sdk",
]
const CONFIRM_PARAMS = [
  "allowed_payment_method_types",
  "amount_details",
  "amount_to_confirm",
  "capture_method",
  "confirmation_token",
  "error_on_requires_action",
  "excluded_payment_method_types",
  "hooks",
  "mandate",
  "mandate_data",
  "off_session",
  "payment_details",
  "payment_method",
  "payment_method_data",
  "payment_method_options",
  "radar_options",
  "receipt_email",
  "return_url",
  "setup_future_usage",
  "shipping",
  "use_stripe_sdk",
]
const CAPTURE_PARAMS = [
  "amount_details",
  "amount_to_capture",
  "application_fee_amount",
  "final_capture",
  "hooks",
  "metadata",
  "payment_details",
  "statement_descriptor",
  "statement_descriptor_suffix",
  "transfer_data",
]
const CAPTURE_METHODS = ["automatic", "automatic_async", "manual"] as const
const FUTURE_USAGE = ["off_session", "on_session"] as const
const CANCELLATION_REASONS = ["abandoned", "duplicate", "fraudulent", "requested_by_customer"] as const
/** Fields that can only change while the customer has not paid yet. */
const PAYABLE: readonly string[] = ["requires_payment_method", "requires_confirmation", "requires_action"]

/**
 * API versions before 2026-09-30 (stripe-node < 23) still took `payment_method_types`; later ones take
 * `allowed_payment_method_types` (inferred from the SDK's changelog). The fake follows the client's `Stripe-Version`.
 */
function withLegacyTypes(allowed: string[], stripeVersion: string): string[] {
  return stripeVersion < "2026-09-30" ? [...allowed, "payment_method_types"] : allowed
}

function amountParam(params: Params, required: boolean): number | undefined {
  const amount = required ? params.requiredInteger("amount") : params.integer("amount")
  if (amount !== undefined && amount < 1) {
    throw invalidParameter("This value must be greater than or equal to 1.", "amount", "parameter_invalid_integer")
  }
  if (amount !== undefined && amount > 99_999_999) {
    throw invalidParameter("Amount must be no more than 99999999", "amount", "amount_too_large")
  }
  return amount
}

function currencyParam(params: Params, required: boolean): string | undefined {
  const currency = required ? params.requiredString("currency") : (params.string("currency") ?? undefined)
  if (currency !== undefined && !/^[a-zA-Z]{3}$/.test(currency)) {
    throw invalidParameter(`Invalid currency: ${currency.toLowerCase()}.`, "currency")
  }
  return currency?.toLowerCase()
}

/** Applies the parameters create and update share; `changed` lists those that were sent. */
function applyCommon(state: StripeState, intent: Stripe.PaymentIntent, params: Params): string[] {
  const changed: string[] = []
  const customer = params.string("customer")
  if (customer !== undefined) {
    intent.customer = customer === null ? null : state.customer(customer, "customer").id
    changed.push("customer")
  }
  const captureMethod = params.oneOf("capture_method", CAPTURE_METHODS)
  if (captureMethod) {
    intent.capture_method = captureMethod
    changed.push("capture_method")
  }
  const futureUsage = params.string("setup_future_usage")
  if (futureUsage !== undefined) {
    intent.setup_future_usage = futureUsage === null ? null : (params.oneOf("setup_future_usage", FUTURE_USAGE) ?? null)
    changed.push("setup_future_usage")
  }
  const methodTypes = params.strings("allowed_payment_method_types") ?? params.strings("payment_method_types")
  if (methodTypes) {
    intent.payment_method_types = methodTypes
    intent.automatic_payment_methods = null
    changed.push("payment_method_types")
  }
  const paymentMethod = params.string("payment_method")
  if (paymentMethod !== undefined) {
    intent.payment_method = paymentMethod === null ? null : resolvePaymentMethod(state, paymentMethod).id
    changed.push("payment_method")
  }
  for (const field of ["description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix"] as const) {
    const value = params.string(field)
    if (value !== undefined) {
      intent[field] = value
    }
  }
  intent.metadata = applyMetadata(intent.metadata, params.metadata())
  return changed
}

function create({ state, params, request, stripeVersion }: RouteContext): object {
  params.rejectUnknown(withLegacyTypes(CREATE_PARAMS, stripeVersion))
  const amount = amountParam(params, true) ?? 0
  const currency = currencyParam(params, true) ?? "usd"
  const confirm = params.boolean("confirm") ?? false
  const automatic = params.nested("automatic_payment_methods")
  const automaticEnabled = automatic?.boolean("enabled")
  const allowRedirects = automatic?.oneOf("allow_redirects", ["always", "never"] as const)
  const intent = newPaymentIntent(state.now(), amount, currency)
  applyCommon(state, intent, params)
  if (automaticEnabled === false) {
    intent.automatic_payment_methods = null
  } else if (automaticEnabled && allowRedirects) {
    intent.automatic_payment_methods = { enabled: true, allow_redirects: allowRedirects }
  }
  if (intent.payment_method) {
    intent.status = "requires_confirmation"
  }
  state.intents.set(intent.id, intent)
  state.emit("payment_intent.created", intent, request)
  if (confirm) {
    confirmIntent(state, intent, undefined, request)
  }
  return intent
}

function update({ state, params, ids, stripeVersion }: RouteContext): object {
  params.rejectUnknown(withLegacyTypes(UPDATE_PARAMS, stripeVersion))
  const amount = amountParam(params, false)
  const currency = currencyParam(params, false)
  const intent = state.intent(ids[0])
  for (const field of ["amount", "currency", "payment_method", "capture_method", "setup_future_usage"]) {
    // Metadata, description and the like can change in any status; money and method only before payment.
    if (params.has(field) && !PAYABLE.includes(intent.status)) {
      throw intentUnexpectedState(
        `This PaymentIntent's ${field} could not be updated because it has a status of ${intent.status}. ` +
          `You may only update the ${field} of a PaymentIntent with one of the following statuses: ${PAYABLE.join(", ")}.`,
        intent,
      )
    }
  }
  const changed = applyCommon(state, intent, params)
  if (amount !== undefined) {
    intent.amount = amount
  }
  if (currency !== undefined) {
    intent.currency = currency
  }
  if (changed.includes("payment_method") && intent.payment_method) {
    intent.status = "requires_confirmation"
    intent.next_action = null
  }
  return intent
}

function confirm({ state, params, ids, request }: RouteContext): object {
  params.rejectUnknown(CONFIRM_PARAMS)
  const intent = state.intent(ids[0])
  const captureMethod = params.oneOf("capture_method", CAPTURE_METHODS)
  const futureUsage = params.oneOf("setup_future_usage", FUTURE_USAGE)
  const paymentMethod = params.string("payment_method") ?? undefined
  if (captureMethod) {
    intent.capture_method = captureMethod
  }
  if (futureUsage) {
    intent.setup_future_usage = futureUsage
  }
  confirmIntent(state, intent, paymentMethod, request)
  return intent
}

function capture({ state, params, ids, request }: RouteContext): object {
  params.rejectUnknown(CAPTURE_PARAMS)
  const intent = state.intent(ids[0])
  const amountToCapture = params.integer("amount_to_capture")
  const metadata = params.metadata()
  captureIntent(state, intent, amountToCapture, request)
  intent.metadata = applyMetadata(intent.metadata, metadata)
  return intent
}

function cancel({ state, params, ids, request }: RouteContext): object {
  params.rejectUnknown(["cancellation_reason"])
  const intent = state.intent(ids[0])
  cancelIntent(state, intent, params.oneOf("cancellation_reason", CANCELLATION_REASONS), request)
  return intent
}

function list({ state, params }: RouteContext): object {
  params.rejectUnknown(["created", "customer", "customer_account", "ending_before", "limit", "starting_after"])
  const customer = params.string("customer")
  const intents = [...state.intents.values()].filter((intent) => !customer || intent.customer === customer).reverse()
  return listOf(params, "/v1/payment_intents", intents)
}

/** `/v1/payment_intents` and its actions. */
export const paymentIntentRoutes: Route[] = [
  { method: "POST", pattern: /^\/v1\/payment_intents$/, handle: create },
  { method: "GET", pattern: /^\/v1\/payment_intents$/, handle: list },
  {
    method: "GET",
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    handle: ({ state, params, ids }) => {
      params.rejectUnknown(["client_secret"])
      return state.intent(ids[0])
    },
  },
  { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)$/, handle: update },
  { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/, handle: confirm },
  { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/, handle: capture },
  { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, handle: cancel },
]
