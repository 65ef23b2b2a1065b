import { untilAborted } from "../../lib/abort"
import { fromMinorUnits } from "../base/money"
import type { PspPaymentView } from "../../lib/webhook-result"
import type { YocoClient } from "./client"
import { yocoFailure } from "./errors"
import { readSessionData, requireCheckoutId } from "./session-data"

/**
 * The session's checkout as Yoco shows it now, for the admin. Yoco's checkout answer has no refunds:
 * `refunded` adds up the refunds Yoco confirmed (`refund.succeeded`), as the payment's data records them.
 * `signal` cancels the read: the request in flight is aborted, and the caller is answered at once.
 */
export async function readYocoPaymentView(
  client: YocoClient,
  sessionData: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<PspPaymentView> {
  const data = readSessionData("readPaymentView", sessionData)
  let checkout
  try {
    // The client stops at its next step once aborted (a backoff may still be running): not waited for.
    checkout = await untilAborted(client.getCheckout(requireCheckoutId("readPaymentView", data), { signal }), signal)
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
