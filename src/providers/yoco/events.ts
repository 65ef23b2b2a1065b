import { z } from "zod"
import type { WebhookActionResult } from "@medusajs/framework/types"
import { PaymentActions } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../base/money"
import type { WebhookEffect } from "../../lib/webhook-result"
import type { YocoMode } from "./options"
import type { YocoCheckout } from "./types"

/** Every event type Yoco sends to a webhook endpoint: each is mapped here. */
export const YOCO_EVENT_TYPES = ["payment.succeeded", "refund.succeeded", "refund.failed"] as const

/** A Yoco event type. */
export type YocoEventType = (typeof YOCO_EVENT_TYPES)[number]

/** The parts of a Yoco webhook event the mapping reads; other fields are kept but ignored. */
export const yocoEventSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  createdDate: z.string().optional(),
  payload: z.looseObject({
    id: z.string().optional(),
    type: z.string().optional(),
    /** Cents. */
    amount: z.number().int().optional(),
    currency: z.string().optional(),
    status: z.string().optional(),
    mode: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  }),
})

/** A verified Yoco event (`payment.succeeded`, `refund.succeeded`, `refund.failed`, …). */
export type YocoEvent = z.infer<typeof yocoEventSchema>

/** Reads a verified body as a Yoco event; undefined when it is not one. */
export function parseYocoEvent(body: unknown): YocoEvent | undefined {
  const result = yocoEventSchema.safeParse(body)
  return result.success ? result.data : undefined
}

/** What the mapping knows beside the event. */
export type YocoEventContext = {
  /** The mode of the configured secret key. */
  mode: YocoMode
  /**
   * The checkout named by `payload.metadata.checkoutId`, as retrieved from Yoco: `null` when Yoco
   * does not know it (404), undefined when it was not retrieved. A `payment.succeeded` is only
   * captured against a retrieved checkout: the event alone proves neither the amount nor the session.
   */
  checkout?: YocoCheckout | null
}

/**
 * Medusa's webhook result, plus why an event was set aside and whether that is suspicious (a signed
 * event contradicting our own checkout deserves a warning) — for the log, never sent to Medusa.
 */
export type YocoWebhookMapping = WebhookActionResult & {
  reason?: string
  suspicious?: boolean
  effect?: WebhookEffect
  psp_reference?: string
}

const notSupported = (reason: string, suspicious?: true): YocoWebhookMapping => ({
  action: PaymentActions.NOT_SUPPORTED,
  reason,
  ...(suspicious ? { suspicious } : {}),
})

const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined)

/** `payload.metadata.checkoutId`: how Yoco tells which checkout an event belongs to. */
export function checkoutIdOf(event: YocoEvent): string | undefined {
  return text(event.payload.metadata?.checkoutId)
}

/** `payload.metadata.session_id`, when Yoco echoes the checkout's metadata into the event. */
export function sessionIdOf(event: YocoEvent): string | undefined {
  return text(event.payload.metadata?.session_id)
}

/**
 * The checkout to retrieve before mapping, if any: for every `payment.succeeded` of our mode, even
 * one that echoes the session id, so its amount, currency and session are checked against the
 * checkout this store created (retrieving for events we drop anyway would waste a call).
 */
export function checkoutToRetrieve(event: YocoEvent, mode: YocoMode): string | undefined {
  if (!RETRIEVING_TYPES.has(event.type) || event.payload.mode !== mode) {
    return undefined
  }
  return checkoutIdOf(event)
}

/**
 * Maps a verified Yoco event to Medusa's webhook action. Pure: no I/O, no clock.
 * `payment.succeeded` → captured (Yoco captures at once) with the session id and the amount in
 * major units; everything that cannot be proven to be one of this store's payments → not_supported.
 */
export function mapYocoEvent(event: YocoEvent, context: YocoEventContext): YocoWebhookMapping {
  const { payload } = event
  if (payload.mode !== context.mode) {
    // One Yoco endpoint receives live and test events alike; only the key's own mode is ours.
    return notSupported(`event mode "${payload.mode ?? "none"}" differs from the secret key's mode "${context.mode}"`)
  }
  if (event.type === "refund.succeeded" || event.type === "refund.failed") {
    return mapRefundEvent(event, context)
  }
  if (event.type !== "payment.succeeded") {
    return notSupported(`event type "${event.type}" is not handled`)
  }
  return mapPaymentSucceeded(event, context)
}

/** Event types whose checkout is retrieved from Yoco (all of them): the session id and amounts come from it. */
const RETRIEVING_TYPES: ReadonlySet<string> = new Set(YOCO_EVENT_TYPES)

/**
 * `refund.succeeded` / `refund.failed` → no Medusa action of their own; the plugin records the
 * refund on the payment (or marks Medusa's pending refund failed) through `effect`.
 */
function mapRefundEvent(event: YocoEvent, context: YocoEventContext): YocoWebhookMapping {
  const { payload } = event
  const checkoutId = checkoutIdOf(event)
  const { checkout } = context
  if (!checkoutId || !checkout || checkout.id !== checkoutId) {
    return notSupported(`${event.type} for checkout ${checkoutId ?? "(none)"} that this store cannot find at Yoco`)
  }
  const sessionId = text(checkout.metadata?.session_id)
  if (!sessionId) {
    return notSupported(`checkout ${checkoutId} was not created by this store (no session_id)`)
  }
  const refundId = text(payload.id)
  if (!refundId || payload.amount === undefined) {
    return notSupported(`${event.type} for checkout ${checkoutId} carries no refund id or amount`)
  }
  const amount = fromMinorUnits(payload.amount, payload.currency ?? checkout.currency)
  const data = { session_id: sessionId, amount }
  const refund =
    event.type === "refund.failed"
      ? { id: refundId, amount, status: "failed", failure_reason: text(payload.status) ?? null }
      : { id: refundId, amount, status: "succeeded" }
  return { action: PaymentActions.NOT_SUPPORTED, psp_reference: checkoutId, data, effect: { kind: "refunds", refunds: [refund] } }
}

function mapPaymentSucceeded(event: YocoEvent, context: YocoEventContext): YocoWebhookMapping {
  const { payload } = event
  const checkoutId = checkoutIdOf(event)
  if (!checkoutId) {
    return notSupported("payment has no metadata.checkoutId: not a Checkout API payment")
  }
  if (payload.status !== undefined && payload.status !== "succeeded") {
    return notSupported(`payment.succeeded carries status "${payload.status}"`)
  }
  if (payload.amount === undefined || !payload.currency) {
    return notSupported(`payment for checkout ${checkoutId} has no amount or currency`)
  }
  if (payload.currency.toUpperCase() !== "ZAR") {
    return notSupported(`payment for checkout ${checkoutId} is in ${payload.currency}; this store only creates ZAR checkouts`)
  }
  const { checkout } = context
  if (checkout === null) {
    return notSupported(`checkout ${checkoutId} is unknown to this Yoco account and mode`)
  }
  if (checkout === undefined) {
    return notSupported(`checkout ${checkoutId} was not retrieved: the payment cannot be checked against it`)
  }
  if (checkout.id !== checkoutId) {
    return notSupported(`retrieved checkout ${checkout.id} is not the event's checkout ${checkoutId}`, true)
  }
  const echoed = sessionIdOf(event)
  const sessionId = text(checkout.metadata?.session_id)
  if (!sessionId || (echoed && echoed !== sessionId)) {
    // Another integration on the same Yoco account (or a tampered echo): not a Medusa session of ours.
    return notSupported(`checkout ${checkoutId} was not created by this store (no matching session_id)`, echoed ? true : undefined)
  }
  if (checkout.amount !== payload.amount || checkout.currency.toUpperCase() !== payload.currency.toUpperCase()) {
    return notSupported(
      `payment of ${payload.amount} ${payload.currency} differs from checkout ${checkoutId}'s ${checkout.amount} ${checkout.currency}`,
      true,
    )
  }
  return {
    action: PaymentActions.SUCCESSFUL,
    psp_reference: checkoutId,
    data: { session_id: sessionId, amount: fromMinorUnits(payload.amount, payload.currency) },
  }
}
