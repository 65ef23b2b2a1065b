import { resourceMissing } from "./errors"
import { createRefund, refundsOfIntent } from "./refunds"
import { listOf, type Route, type RouteContext } from "./routes"

const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const
const REFUND_PARAMS = [
  "amount",
  "charge",
  "currency",
  "customer",
  "instructions_email",
  "metadata",
  "origin",
  "payment_intent",
  "reason",
  "refund_application_fee",
  "reverse_transfer",
]
const LIST_PARAMS = ["created", "ending_before", "limit", "starting_after"]

function create({ state, params, request }: RouteContext): object {
  params.rejectUnknown(REFUND_PARAMS)
  const amount = params.integer("amount")
  const reason = params.oneOf("reason", REFUND_REASONS)
  const metadata = params.metadata()
  const target = {
    paymentIntent: params.string("payment_intent") ?? undefined,
    charge: params.string("charge") ?? undefined,
  }
  return createRefund(state, target, { amount, reason, metadata: metadata?.set }, request)
}

function list({ state, params }: RouteContext): object {
  params.rejectUnknown([...LIST_PARAMS, "charge", "payment_intent"])
  const intentId = params.string("payment_intent")
  const chargeId = params.string("charge")
  const refunds = intentId
    ? refundsOfIntent(state, intentId)
    : [...state.refunds.values()].filter((refund) => !chargeId || refund.charge === chargeId).reverse()
  return listOf(params, "/v1/refunds", refunds)
}

function get<T>(value: T | undefined, kind: string, id: string): T {
  if (value === undefined) {
    throw resourceMissing(kind, id)
  }
  return value
}

/** `/v1/refunds`, `/v1/charges`, `/v1/disputes` and `/v1/events` (read-only but for refund creation). */
export const refundRoutes: Route[] = [
  { method: "POST", pattern: /^\/v1\/refunds$/, handle: create },
  { method: "GET", pattern: /^\/v1\/refunds$/, handle: list },
  { method: "GET", pattern: /^\/v1\/refunds\/([^/]+)$/, handle: ({ state, ids }) => get(state.refunds.get(ids[0]), "refund", ids[0]) },
  {
    method: "GET",
    pattern: /^\/v1\/charges$/,
    handle: ({ state, params }) => {
      params.rejectUnknown([...LIST_PARAMS, "customer", "payment_intent", "transfer_group"])
      const intentId = params.string("payment_intent")
      const charges = [...state.charges.values()].filter((charge) => !intentId || charge.payment_intent === intentId)
      return listOf(params, "/v1/charges", charges.reverse())
    },
  },
  { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, handle: ({ state, ids }) => state.charge(ids[0]) },
  { method: "GET", pattern: /^\/v1\/disputes\/([^/]+)$/, handle: ({ state, ids }) => get(state.disputes.get(ids[0]), "dispute", ids[0]) },
  {
    method: "GET",
    pattern: /^\/v1\/events\/([^/]+)$/,
    handle: ({ state, ids }) => get(state.eventById(ids[0]), "event", ids[0]),
  },
]
