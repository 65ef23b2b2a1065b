import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { UnusableEventError } from "../../lib/errors"
import type { MappedWebhookEvent, WebhookSource } from "../../lib/webhook-result"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"

/** The recorded body as JSON; the edge verified and parsed it once already, so only a lost body fails here. */
function parseBody(claim: ClaimedDelivery): unknown {
  if (claim.raw_body === null) {
    throw new UnusableEventError("the delivery's raw body is no longer kept, so it cannot be processed again")
  }
  try {
    return JSON.parse(claim.raw_body)
  } catch {
    throw new UnusableEventError("the delivery's recorded body is not JSON")
  }
}

/** The session's provider data, for asking the PSP about it; a deleted session's too (its payment may still have been taken). */
async function sessionData(container: MedusaContainer, sessionId: string): Promise<Record<string, unknown> | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [session],
  } = await query.graph({ entity: "payment_session", fields: ["id", "data"], filters: { id: sessionId }, withDeleted: true })
  return session ? (session.data ?? {}) : undefined
}

/**
 * What a claimed row means, asking its provider: a PSP event is mapped from its recorded body
 * (the provider reads the PSP where the event leaves something out); a reconciliation row is the
 * PSP's answer about its session now, or `{ unpaid }` with the PSP's word when its payment is not (or no longer) taken.
 */
export async function interpretClaim(
  container: MedusaContainer,
  source: WebhookSource,
  claim: ClaimedDelivery,
): Promise<MappedWebhookEvent | { unpaid: string }> {
  if (claim.source === "webhook") {
    return source.interpretWebhook({ event_id: claim.event_id, body: parseBody(claim) })
  }
  if (!claim.session_id) {
    throw new UnusableEventError("a reconciliation row without a payment session")
  }
  const data = await sessionData(container, claim.session_id)
  if (!data) {
    return { unpaid: `payment session ${claim.session_id} does not exist in this store` }
  }
  const truth = await source.readSessionTruth(data)
  return truth.mapped ?? { unpaid: `the PSP reports the payment ${truth.psp_status}` }
}
