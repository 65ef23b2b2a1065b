import type Stripe from "stripe"
import { invalidRequest, resourceMissing } from "./errors"
import { idOf } from "./ids"
import { newCustomer, newSetupIntent } from "./objects"
import { applyMetadata, type MetadataUpdate, type Params } from "./params"
import { resolvePaymentMethod } from "./payment-intents"
import { listOf, type Route, type RouteContext } from "./routes"
import { NO_REQUEST, type RequestRef } from "./request"
import { patch, type StripeState } from "./state"

// Parameter names from stripe@23's Customer*Params / SetupIntentCreateParams types.
const CUSTOMER_UPDATE_PARAMS = [
  "address",
  "balance",
  "business_name",
  "cash_balance",
  "default_source",
  "description",
  "email",
  "individual_name",
  "invoice_prefix",
  "invoice_settings",
  "metadata",
  "name",
  "next_invoice_sequence",
  "phone",
  "preferred_locales",
  "shipping",
  "source",
  "tax",
  "tax_exempt",
  "validate",
]
const CUSTOMER_CREATE_PARAMS = [...CUSTOMER_UPDATE_PARAMS, "payment_method", "tax_id_data", "test_clock"]
const SETUP_INTENT_PARAMS = [
  "allowed_payment_method_types",
  "attach_to_self",
  "automatic_payment_methods",
  "confirm",
  "confirmation_token",
  "customer",
  "customer_account",
  "description",
  "excluded_payment_method_types",
  "flow_directions",
  "mandate_data",
  "metadata",
  "on_behalf_of",
  "payment_method",
  "payment_method_configuration",
  "payment_method_data",
  "payment_method_options",
  "return_url",
  "single_use",
  "usage",
  "use_stripe_sdk",
]

/** Attaches a PaymentMethod to a customer, refusing one already attached elsewhere. */
export function attachPaymentMethod(
  state: StripeState,
  method: Stripe.PaymentMethod,
  customerId: string,
  request: RequestRef,
): Stripe.PaymentMethod {
  const customer = state.customer(customerId, "customer")
  if (method.customer && idOf(method.customer) !== customer.id) {
    throw invalidRequest("The payment method you provided has already been attached to a customer.", {
      param: "payment_method",
    })
  }
  method.customer = customer.id
  state.emit("payment_method.attached", method, request)
  return method
}

/** The customer finished the SetupIntent (e.g. entered a card): `succeeded`, card saved on the customer. */
export function succeedSetupIntent(state: StripeState, intent: Stripe.SetupIntent, request: RequestRef = NO_REQUEST): void {
  const method = intent.payment_method
    ? state.paymentMethod(String(idOf(intent.payment_method)), "payment_method")
    : resolvePaymentMethod(state, "pm_card_visa")
  intent.payment_method = method.id
  intent.status = "succeeded"
  const customerId = idOf(intent.customer)
  if (customerId && !method.customer) {
    attachPaymentMethod(state, method, customerId, request)
  }
  state.emit("setup_intent.succeeded", intent, request)
}

type CustomerChanges = {
  fields: Partial<Pick<Stripe.Customer, "email" | "name" | "phone" | "description">>
  metadata: MetadataUpdate | undefined
  defaultPaymentMethod: string | undefined
}

/** Reads (and validates) the customer parameters before anything is changed. */
function readCustomer(params: Params): CustomerChanges {
  const fields: CustomerChanges["fields"] = {}
  for (const field of ["email", "name", "phone", "description"] as const) {
    const value = params.string(field)
    if (value !== undefined) {
      fields[field] = value
    }
  }
  const defaultPaymentMethod = params.nested("invoice_settings")?.string("default_payment_method") ?? undefined
  return { fields, metadata: params.metadata(), defaultPaymentMethod }
}

function applyCustomer(state: StripeState, customer: Stripe.Customer, changes: CustomerChanges): void {
  const defaultMethod = changes.defaultPaymentMethod
  if (defaultMethod) {
    const method = state.paymentMethods.get(defaultMethod)
    if (!method || idOf(method.customer) !== customer.id) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${defaultMethod}. ` +
          "The payment method must be attached to the customer.",
        { param: "invoice_settings[default_payment_method]" },
      )
    }
    customer.invoice_settings.default_payment_method = defaultMethod
  }
  patch(customer, changes.fields)
  customer.metadata = applyMetadata(customer.metadata, changes.metadata)
}

function createCustomer({ state, params, request }: RouteContext): object {
  params.rejectUnknown(CUSTOMER_CREATE_PARAMS)
  const changes = readCustomer(params)
  const paymentMethod = params.string("payment_method")
  const method = paymentMethod ? resolvePaymentMethod(state, paymentMethod) : undefined
  const customer = newCustomer(state.now())
  state.customers.set(customer.id, customer)
  if (method) {
    attachPaymentMethod(state, method, customer.id, request)
  }
  applyCustomer(state, customer, changes)
  state.emit("customer.created", customer, request)
  return customer
}

function updateCustomer({ state, params, ids, request }: RouteContext): object {
  params.rejectUnknown(CUSTOMER_UPDATE_PARAMS)
  const changes = readCustomer(params)
  const customer = state.customer(ids[0])
  applyCustomer(state, customer, changes)
  state.emit("customer.updated", customer, request)
  return customer
}

function deleteCustomer({ state, ids, request }: RouteContext): object {
  const customer = state.customer(ids[0])
  const deleted: Stripe.DeletedCustomer = { id: customer.id, object: "customer", deleted: true }
  // A deleted customer can still be retrieved: Stripe answers `{ id, object, deleted: true }`.
  state.customers.set(customer.id, deleted)
  state.emit("customer.deleted", customer, request)
  return deleted
}

function createSetupIntent({ state, params, request }: RouteContext): object {
  params.rejectUnknown(SETUP_INTENT_PARAMS)
  const intent = newSetupIntent(state.now())
  const customer = params.string("customer")
  if (customer) {
    intent.customer = state.customer(customer, "customer").id
  }
  const paymentMethod = params.string("payment_method")
  if (paymentMethod) {
    intent.payment_method = resolvePaymentMethod(state, paymentMethod).id
    intent.status = "requires_confirmation"
  }
  intent.usage = params.oneOf("usage", ["off_session", "on_session"] as const) ?? intent.usage
  intent.description = params.string("description") ?? null
  intent.metadata = applyMetadata({}, params.metadata())
  const types = params.strings("allowed_payment_method_types")
  if (types) {
    intent.payment_method_types = types
    intent.automatic_payment_methods = null
  }
  state.setupIntents.set(intent.id, intent)
  state.emit("setup_intent.created", intent, request)
  if (params.boolean("confirm")) {
    if (!intent.payment_method) {
      throw invalidRequest(
        "You cannot confirm this SetupIntent because it's missing a payment method. You can either update the " +
          "SetupIntent with a payment method and then confirm it again, or confirm it again directly with a " +
          "payment method or ConfirmationToken.",
        { code: "setup_intent_unexpected_state", setupIntent: structuredClone(intent) },
      )
    }
    succeedSetupIntent(state, intent, request)
  }
  return intent
}

function detach({ state, ids, request }: RouteContext): object {
  const method = state.paymentMethod(ids[0])
  if (!method.customer) {
    throw invalidRequest("The payment method you provided is not attached to a customer so detachment is impossible.", {
      code: "payment_method_unexpected_state",
    })
  }
  method.customer = null
  state.emit("payment_method.detached", method, request)
  return method
}

/** `/v1/customers`, `/v1/payment_methods`, `/v1/setup_intents`. */
export const customerRoutes: Route[] = [
  { method: "POST", pattern: /^\/v1\/customers$/, handle: createCustomer },
  {
    method: "GET",
    pattern: /^\/v1\/customers\/([^/]+)$/,
    handle: ({ state, ids }) => {
      // Deleted customers are still found (as `{ id, object, deleted: true }`).
      return state.customers.get(ids[0]) ?? state.customer(ids[0])
    },
  },
  { method: "POST", pattern: /^\/v1\/customers\/([^/]+)$/, handle: updateCustomer },
  { method: "DELETE", pattern: /^\/v1\/customers\/([^/]+)$/, handle: deleteCustomer },
  {
    method: "GET",
    pattern: /^\/v1\/customers\/([^/]+)\/payment_methods$/,
    handle: ({ state, params, ids }) => {
      params.rejectUnknown(["allow_redisplay", "ending_before", "limit", "starting_after", "type"])
      const customer = state.customer(ids[0])
      const type = params.string("type")
      const methods = [...state.paymentMethods.values()]
        .filter((method) => method.customer === customer.id && (!type || method.type === type))
        .reverse()
      return listOf(params, `/v1/customers/${customer.id}/payment_methods`, methods)
    },
  },
  { method: "GET", pattern: /^\/v1\/payment_methods\/([^/]+)$/, handle: ({ state, ids }) => state.paymentMethod(ids[0]) },
  {
    method: "POST",
    pattern: /^\/v1\/payment_methods\/([^/]+)\/attach$/,
    handle: ({ state, params, ids, request }) => {
      params.rejectUnknown(["customer", "customer_account"])
      return attachPaymentMethod(state, state.paymentMethod(ids[0]), params.requiredString("customer"), request)
    },
  },
  { method: "POST", pattern: /^\/v1\/payment_methods\/([^/]+)\/detach$/, handle: detach },
  { method: "POST", pattern: /^\/v1\/setup_intents$/, handle: createSetupIntent },
  {
    method: "GET",
    pattern: /^\/v1\/setup_intents\/([^/]+)$/,
    handle: ({ state, ids }) => {
      const intent = state.setupIntents.get(ids[0])
      if (!intent) {
        throw resourceMissing("setup_intent", ids[0])
      }
      return intent
    },
  },
]
