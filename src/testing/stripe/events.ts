import Stripe from "stripe"
import { newId } from "./ids"
import type { RequestRef } from "./request"

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
