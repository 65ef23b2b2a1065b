import type { StripeState } from "./state"

/**
 * The object an event of `type` about PaymentIntent `intentId` carries, in its current state:
 * the intent for `payment_intent.*`, its latest charge for `charge.*`, its latest refund for
 * `refund.*` / `charge.refund.updated`, its latest dispute for `charge.dispute.*`.
 * `charge.refunded` carries the charge WITHOUT `refunds`: since API 2022-11-15 Stripe no longer
 * includes it (pass `includeRefunds` to get the list, as an `expand[]=refunds` retrieve would).
 */
export function eventObjectFor(state: StripeState, intentId: string, type: string, options: { includeRefunds?: boolean } = {}): object {
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
