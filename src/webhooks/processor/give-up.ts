import type { MedusaContainer } from "@medusajs/framework/types"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"
import { webhookSources } from "../edge/webhook-sources"
import { interpretClaim } from "./interpret"
import { planFor } from "./plan"

/**
 * The payment a stored delivery takes (authorized or captured), read from the row as the processor
 * would map it; undefined when it takes none, or when it cannot be mapped now. Best effort: it only
 * decides what a row the processor gave up on is reported as.
 */
export async function paymentTakenBy(container: MedusaContainer, claim: ClaimedDelivery): Promise<MappedWebhookEvent | undefined> {
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
