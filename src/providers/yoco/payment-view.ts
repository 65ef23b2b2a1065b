import { fromMinorUnits } from "../base/money"
import type { PspPaymentView } from "../../lib/webhook-result"
import type { YocoClient } from "./client"
import { yocoFailure } from "./errors"
import { readSessionData, requireCheckoutId } from "./session-data"

/**
 * The session's checkout as Yoco shows it now, for the admin. Yoco's checkout answer has no refunds:
 * `refunded` adds up the refunds Yoco confirmed (`refund.succeeded`), as the payment's data records them.
 */
export async function readYocoPaymentView(client: YocoClient, sessionData: Record<string, unknown>): Promise<PspPaymentView> {
  const data = readSessionData("readPaymentView", sessionData)
  let checkout
  try {
    checkout = await client.getCheckout(requireCheckoutId("readPaymentView", data))
  } catch (error) {
    throw yocoFailure("reading the payment for the admin", error)
  }
  const refunded = (data.refunds ?? []).filter((refund) => refund.status === "succeeded").reduce((sum, refund) => sum + refund.amount, 0)
  return {
    status: checkout.status,
    amount: fromMinorUnits(checkout.amount, checkout.currency),
    captured: checkout.status === "completed" ? fromMinorUnits(checkout.amount, checkout.currency) : 0,
    refunded: fromMinorUnits(refunded, checkout.currency),
    currency_code: checkout.currency.toLowerCase(),
  }
}
