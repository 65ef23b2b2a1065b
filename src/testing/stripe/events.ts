import Stripe from "stripe"
import { newId } from "./ids"
import type { StripeState, RequestRef } from "./state"

/** A Stripe Event as it is delivered to a webhook endpoint (the `data.object` is a snapshot). */
export type FakeStripeEvent<T extends object = object> = {
  id: string
  object: "event"
  api_version: string
  created: number
  data: { object: T; previous_attributes?: Record<string, unknown> }
  livemode: false
  pending_webhooks: number
  request: RequestRef
  type: string
}

/** Optional parts of {@link buildEvent}. */
export type BuildEventOptions = {
  /** What changed, as Stripe sends for `*.updated`-like events. */
  previousAttributes?: Record<string, unknown>
  /** The API request that caused the event; `{ id: null, idempotency_key: null }` for dashboard/customer actions. */
  request?: RequestRef
  /** Unix seconds; defaults to now. */
  created?: number
  /** Defaults to the installed SDK's pinned version (what a new webhook endpoint would get). */
  apiVersion?: string
  /** Defaults to a fresh `evt_…`. Pass one to rebuild "the same event" deliberately. */
  id?: string
}

/** Builds a full Stripe Event around a deep copy of `object`, with Stripe's key order. */
export function buildEvent<T extends object>(type: string, object: T, options: BuildEventOptions = {}): FakeStripeEvent<T> {
  const data: FakeStripeEvent<T>["data"] = { object: structuredClone(object) }
  if (options.previousAttributes) {
    data.previous_attributes = structuredClone(options.previousAttributes)
  }
  return {
    id: options.id ?? newId("evt"),
    object: "event",
    api_version: options.apiVersion ?? Stripe.API_VERSION,
    created: options.created ?? Math.floor(Date.now() / 1000),
    data,
    livemode: false,
    pending_webhooks: 1,
    request: options.request ?? { id: null, idempotency_key: null },
    type,
  }
}

/**
 * The object an event of `type` about PaymentIntent `intentId` carries, in its current state:
 * the intent for `payment_intent.*`, its latest charge for `charge.*`, its latest refund for
 * `refund.*` / `charge.refund.updated`, its latest dispute for `charge.dispute.*`.
 * `charge.refunded` carries the charge WITHOUT `refunds`: since API 2022-11-15 Stripe no longer
 * includes it (pass `includeRefunds` to get the list, as an `expand[]=refunds` retrieve would).
 */
export function eventObjectFor(
  state: StripeState,
  intentId: string,
  type: string,
  options: { includeRefunds?: boolean } = {}
): object {
  const intent = state.intent(intentId)
  if (type.startsWith("payment_intent.")) {
    return intent
  }
  const charges = state.chargesOf(intentId)
  const charge = charges[charges.length - 1]
  if (!charge) {
    throw new Error(`FakeStripe: ${intentId} has no charge yet, so there is no ${type} event to build`)
  }
  if (type.startsWith("charge.dispute.")) {
    const disputes = [...state.disputes.values()].filter((dispute) => dispute.charge === charge.id)
    const dispute = disputes[disputes.length - 1]
    if (!dispute) {
      throw new Error(`FakeStripe: ${intentId} has no dispute; open one with fake.dispute(intentId) first`)
    }
    return dispute
  }
  if (type.startsWith("refund.") || type === "charge.refund.updated") {
    const refunds = state.refundsOfCharge(charge.id)
    const refund = refunds[refunds.length - 1]
    if (!refund) {
      throw new Error(`FakeStripe: ${intentId} has no refund, so there is no ${type} event to build`)
    }
    return refund
  }
  if (type.startsWith("charge.")) {
    if (!options.includeRefunds) {
      return charge
    }
    const refunds = state.refundsOfCharge(charge.id).reverse()
    return {
      ...charge,
      refunds: { object: "list", data: refunds, has_more: false, url: `/v1/charges/${charge.id}/refunds` },
    }
  }
  throw new Error(`FakeStripe: no event object for type ${type}`)
}
