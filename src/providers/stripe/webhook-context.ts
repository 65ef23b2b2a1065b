import type Stripe from "stripe"
import { intentIdOfChargeObject, isChargeEvent, type ChargeEventContext } from "./charge-events"

/**
 * Looks up what refund and dispute events do not carry: the session id, always from their
 * PaymentIntent (a refund's or dispute's own metadata is anyone's to set, and not what this store
 * wrote), and, for `charge.refunded`, the refunds themselves (Stripe stopped listing them in that
 * event in API version 2022-11-15).
 */
export async function lookUpChargeEventContext(stripe: Stripe, event: Stripe.Event): Promise<ChargeEventContext> {
  if (!isChargeEvent(event)) {
    return {}
  }
  const object = event.data.object
  const intentId = intentIdOfChargeObject(object)
  const sessionId = intentId ? (await stripe.paymentIntents.retrieve(intentId)).metadata?.session_id || undefined : undefined
  if (event.type !== "charge.refunded" || !intentId || !sessionId || event.data.object.refunds?.data) {
    return { sessionId }
  }
  const refunds = await stripe.refunds.list({ payment_intent: intentId, limit: 100 })
  return { sessionId, refunds: refunds.data }
}
