import { invalidParameter } from "./errors"
import type { Params } from "./params"
import type { RequestRef } from "./request"
import type { StripeState } from "./state"
import { isRecord } from "../../lib/records"

/** What a route handler gets: the account, the decoded parameters, the `:id`s from the path, and the request. */
export type RouteContext = {
  state: StripeState
  params: Params
  ids: string[]
  request: RequestRef
  /** The `Stripe-Version` the client sent (the SDK always sends its pinned version). */
  stripeVersion: string
}

/** One endpoint: `pattern` captures the ids; `handle` returns the stored object (rendered and expanded later). */
export type Route = {
  method: "GET" | "POST" | "DELETE"
  pattern: RegExp
  handle: (context: RouteContext) => object
}

/** Stripe's list envelope. */
export type ListObject<T> = { object: "list"; data: T[]; has_more: boolean; url: string }

/** A Stripe list of `items` (newest first, as Stripe lists), cut to `limit` (default 10, max 100). */
export function listOf<T>(params: Params, url: string, items: T[]): ListObject<T> {
  const limit = params.integer("limit") ?? 10
  if (limit < 1 || limit > 100) {
    throw invalidParameter("Invalid limit: must be between 1 and 100", "limit")
  }
  return { object: "list", data: items.slice(0, limit), has_more: items.length > limit, url }
}

/** The route for a request and the ids captured from its path, or undefined (Stripe then answers 404). */
export function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; ids: string[] } | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path)
    if (match && route.method === method) {
      return { route, ids: match.slice(1).map(decodeURIComponent) }
    }
  }
  return undefined
}

type JsonRecord = Record<string, unknown>

function toRecord(value: object): JsonRecord {
  return Object.fromEntries(Object.entries(value))
}

/**
 * A deep copy of `value` as the API returns it, with `expand[]` paths replaced by the objects they
 * name (`latest_charge`, `payment_method`, `customer`, `data.payment_method` on lists, nested with dots).
 * A charge's `refunds` is expandable into its list of refunds, as on the real API.
 */
export function render(state: StripeState, value: object, expand: readonly string[]): JsonRecord {
  const copy = toRecord(structuredClone(value))
  for (const path of expand) {
    expandPath(state, copy, path.split("."), path)
  }
  return copy
}

function expandPath(state: StripeState, target: JsonRecord, segments: string[], full: string): void {
  const [head, ...rest] = segments
  if (head === undefined) {
    return
  }
  if (head === "data" && target.object === "list" && Array.isArray(target.data)) {
    for (const item of target.data) {
      if (isRecord(item)) {
        expandPath(state, item, rest, full)
      }
    }
    return
  }
  const current = target[head]
  if (head === "refunds" && target.object === "charge" && typeof target.id === "string") {
    const chargeId = target.id
    const refunds = state
      .refundsOfCharge(chargeId)
      .reverse()
      .map((refund) => toRecord(structuredClone(refund)))
    target.refunds = { object: "list", data: refunds, has_more: false, url: `/v1/charges/${chargeId}/refunds` }
  } else if (typeof current === "string") {
    const found = state.find(current)
    // An id the fake does not model (e.g. a `txn_…` balance transaction) stays a string.
    if (found) {
      target[head] = toRecord(structuredClone(found))
    }
  } else if (current !== null && !isRecord(current)) {
    throw invalidParameter(`This property cannot be expanded (${full}).`, "expand")
  }
  const next = target[head]
  if (rest.length > 0 && isRecord(next)) {
    expandPath(state, next, rest, full)
  }
}
