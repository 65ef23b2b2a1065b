import type { MedusaContainer } from "@medusajs/framework/types"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"
import { PaymentActions } from "@medusajs/framework/utils"
import { inboxSources } from "../edge/webhook-sources"
import { interpretClaim } from "./interpret"
import { planFor } from "./plan"

/**
 * The payment a stored delivery takes (authorized or captured), read from the row as the processor
 * would map it; undefined when it takes none, or when it cannot be mapped now. Best effort: it only
 * decides what a row the processor gave up on is reported as.
 */
export async function paymentTakenBy(container: MedusaContainer, claim: ClaimedDelivery): Promise<MappedWebhookEvent | undefined> {
  try {
    const served = (await inboxSources(container)).get(claim.provider_id)
    if (!served) {
      return undefined
    }
    if (served.kind === "foreign") {
      // What its provider mapped at the edge (nothing, for a delivery that was never verified).
      const action = [PaymentActions.AUTHORIZED, PaymentActions.SUCCESSFUL].find((paying) => paying === claim.action)
      return action && claim.verified && claim.session_id
        ? { action, data: { session_id: claim.session_id, amount: claim.amount ?? 0 } }
        : undefined
    }
    const mapped = await interpretClaim(container, served.source, claim)
    return "unpaid" in mapped || planFor(mapped).kind !== "payment" ? undefined : mapped
  } catch {
    return undefined
  }
}
