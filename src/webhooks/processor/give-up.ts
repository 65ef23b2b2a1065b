import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery, DeliveryVerdict } from "../../modules/payment-webhooks/types"
import { attemptEnded } from "../alerts/attempt-ended"
import { webhookSources } from "../edge/webhook-sources"
import { interpretClaim } from "./interpret"
import { attentionOf, reportNeedsAttention } from "./needs-attention"
import { planFor } from "./plan"
import type { ProcessResult } from "./process-delivery"

/**
 * The payment a stored delivery takes (authorized or captured), read from the row as the processor
 * would map it; undefined when it takes none, or when it cannot be mapped now (best effort: it only
 * decides which alert to raise).
 */
async function paymentOf(container: MedusaContainer, claim: ClaimedDelivery): Promise<MappedWebhookEvent | undefined> {
  try {
    const source = (await webhookSources(container)).get(claim.provider_id)
    if (!source) {
      return undefined
    }
    const mapped = await interpretClaim(container, source, claim)
    return "unpaid" in mapped || planFor(mapped).kind !== "payment" ? undefined : mapped
  } catch {
    return undefined
  }
}

/**
 * A delivery claimed more than `maxAttempts` times without ever settling (each attempt died with its
 * process or outlived its lease): it ends `failed` and is never tried again by itself. Every such row
 * is flagged for a person, whatever its event: nobody knows how far its attempts got (a refund
 * recorded, a cart half completed), and it will sit there until someone looks. It is settled first,
 * with no call that might be what kept killing it; only then is the stored event mapped, to tell
 * whether it took money: if so, `payment_needs_attention` is raised with the payment's ids, as for a
 * payment whose retries ran out. `delivery_failed` follows in every case (see {@link attemptEnded}).
 */
export async function giveUp(
  container: MedusaContainer,
  logger: Logger,
  claim: ClaimedDelivery,
  reason: string,
  settle: (verdict: DeliveryVerdict) => Promise<ProcessResult>
): Promise<ProcessResult> {
  const result = await settle({ status: "failed", reason, needs_attention: true })
  if (result.status !== "failed") {
    return attemptEnded(container, claim, result)
  }
  const payment = await paymentOf(container, claim)
  if (payment) {
    await reportNeedsAttention(container, logger, claim, attentionOf(payment, reason))
  }
  return attemptEnded(container, claim, result, payment)
}
