import type { Logger } from "@medusajs/framework/types"
import { PaymentActions } from "@medusajs/framework/utils"
import { UnusableEventError, WebhookVerificationError } from "../../lib/errors"
import { fromMinorUnits } from "../base/money"
import { secretList } from "../../lib/options"
import { toRawBody } from "../../lib/raw-body"
import { STORE_MARKER_KEY, isStoreMarker } from "../../lib/store-marker"
import { verifyStandardWebhook } from "../base/standard-webhooks"
import type { MappedWebhookEvent, PaymentSessionTruth, StoredDelivery, VerifiedDelivery } from "../../lib/webhook-result"
import { isYocoApiError, type YocoClient } from "./client"
import { yocoFailure } from "./errors"
import { checkoutToRetrieve, mapYocoEvent, parseYocoEvent } from "./events"
import type { YocoOptions } from "./options"
import { readSessionData } from "./session-data"
import type { YocoCheckout } from "./types"

/**
 * Verifies a Yoco delivery (Standard Webhooks, every configured secret, Yoco's window) and names
 * the event: its id is the `webhook-id` (the same on every retry), its type the body's `type`.
 * A signed body without a type is not an event. Pure: the edge's only call.
 */
export function verifyYocoDelivery(
  options: YocoOptions,
  payload: { rawData: unknown; headers: Record<string, unknown> },
): { delivery: VerifiedDelivery; body: unknown } {
  const verified = verifyStandardWebhook({
    rawBody: toRawBody(payload.rawData),
    headers: payload.headers,
    secrets: secretList(options.webhookSecret),
    toleranceSeconds: options.webhookTolerance,
  })
  const body = verified.payload
  if (typeof body !== "object" || body === null || !("type" in body) || typeof body.type !== "string" || !body.type) {
    throw new WebhookVerificationError("malformed_body", "Yoco webhook body is signed but is not an event (no type)")
  }
  return { delivery: { event_id: verified.id, event_type: body.type }, body }
}

/** The checkout an event names; `null` when Yoco does not know it (another account, mode or a forgery). */
async function findCheckout(client: YocoClient, checkoutId: string): Promise<YocoCheckout | null> {
  try {
    return await client.getCheckout(checkoutId)
  } catch (error) {
    if (isYocoApiError(error) && error.status === 404) {
      return null
    }
    // Anything else is transient or a misconfiguration: fail, so the delivery is tried again.
    throw yocoFailure("reading the event's checkout", error)
  }
}

/**
 * Maps a recorded Yoco event. A `payment.succeeded` is always checked against the checkout retrieved
 * from Yoco (amount, currency, session), even when the event echoes the session id; a body that is
 * not a Yoco event throws {@link UnusableEventError}. Warns only when a signed event contradicts our checkout.
 */
export async function interpretYocoDelivery(
  client: YocoClient,
  options: YocoOptions,
  logger: Logger,
  delivery: StoredDelivery,
): Promise<MappedWebhookEvent> {
  const event = parseYocoEvent(delivery.body)
  if (!event) {
    throw new UnusableEventError(`Yoco delivery ${delivery.event_id} is not a Yoco event this plugin can read`)
  }
  const checkoutId = checkoutToRetrieve(event, options.mode)
  const checkout = checkoutId ? await findCheckout(client, checkoutId) : undefined
  const { reason, suspicious, ...mapped } = mapYocoEvent(event, { mode: options.mode, checkout })
  if (suspicious) {
    logger.warn(`Yoco webhook ${delivery.event_id} (${event.type}, ${event.id}) set aside: ${reason}`)
  }
  return {
    ...mapped,
    event_id: delivery.event_id,
    event_type: event.type,
    ...(mapped.data ? { currency_code: "zar" } : {}),
    ...(reason ? { reason } : {}),
    ...(checkout && mapped.data?.session_id ? createdHere(checkout, mapped.data.session_id, secretList(options.webhookSecret)) : {}),
  }
}

/** Whether the checkout carries this store's marker for the session and, when it does, the session data that locates it. */
function createdHere(
  checkout: YocoCheckout,
  sessionId: string,
  secrets: readonly string[],
): Pick<MappedWebhookEvent, "created_here" | "session_data"> {
  if (!isStoreMarker(checkout.metadata?.[STORE_MARKER_KEY], secrets, sessionId)) {
    return { created_here: false }
  }
  return { created_here: true, session_data: { checkout_id: checkout.id, session_id: sessionId } }
}

/** Where a session's checkout stands at Yoco, for reconciliation: completed is captured for the checkout's amount. */
export async function readYocoSessionTruth(client: YocoClient, sessionData: Record<string, unknown>): Promise<PaymentSessionTruth> {
  const data = readSessionData("reconciliation", sessionData)
  if (!data.checkout_id || !data.session_id) {
    return { psp_status: "no checkout" }
  }
  let checkout: YocoCheckout
  try {
    checkout = await client.getCheckout(data.checkout_id)
  } catch (error) {
    throw yocoFailure("reconciliation", error)
  }
  if (checkout.status !== "completed") {
    return { psp_status: checkout.status }
  }
  return {
    psp_status: checkout.status,
    mapped: {
      event_id: `reconcile:${checkout.id}`,
      psp_reference: checkout.id,
      event_type: "reconciliation.captured",
      action: PaymentActions.SUCCESSFUL,
      currency_code: checkout.currency.toLowerCase(),
      data: { session_id: data.session_id, amount: fromMinorUnits(checkout.amount, checkout.currency) },
    },
  }
}
