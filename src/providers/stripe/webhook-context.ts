import type Stripe from "stripe"
import { intentIdOfChargeObject, isChargeEvent, sessionIdInMetadata, type ChargeEventContext } from "./charge-events"

/**
 * Looks up what refund and dispute events do not carry: the session id (from the object's
 * metadata, else its PaymentIntent's) and, for `charge.refunded`, the refunds themselves
 * (Stripe stopped listing them in that event in API version 2022-11-15).
 */
export async function lookUpChargeEventContext(stripe: Stripe, event: Stripe.Event): Promise<ChargeEventContext> {
  if (!isChargeEvent(event)) {
    return {}
  }
  const object = event.data.object
  const intentId = intentIdOfChargeObject(object)
  let sessionId = sessionIdInMetadata(object)
  if (!sessionId && intentId) {
    sessionId = (await stripe.paymentIntents.retrieve(intentId)).metadata?.session_id || undefined
  }
  if (event.type !== "charge.refunded" || !intentId || !sessionId || event.data.object.refunds?.data) {
    return { sessionId }
  }
  const refunds = await stripe.refunds.list({ payment_intent: intentId, limit: 100 })
  return { sessionId, refunds: refunds.data }
}
