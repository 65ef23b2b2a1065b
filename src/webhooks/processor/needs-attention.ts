import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MappedWebhookEvent, WebhookSource } from "../../lib/webhook-result"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"

/** True when the session existed in this store and was soft-deleted (its row kept, marked deleted). */
export async function wasDeleted(container: MedusaContainer, sessionId: string): Promise<boolean> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [session],
  } = await query.graph({ entity: "payment_session", fields: ["id", "deleted_at"], filters: { id: sessionId }, withDeleted: true })
  return !!session?.deleted_at
}

/** What a payment event for a session this store no longer has comes to: a person must act, or nothing is held. */
export type DeletedSessionPayment = { needs_attention: boolean; reason: string }

/**
 * What a payment event for a session this store does not have means, or undefined when the session
 * was never this store's. Medusa deletes a changed cart's sessions outright (no row is kept), so the
 * PSP object's marker (`created_here`) is what proves the session was ours; a soft-deleted row proves
 * it too. Without either, it is another store's or integration's payment on the same PSP account (or
 * one made before markers existed, which stays ignored as it always was). For a marked payment the PSP
 * is asked where it stands now: deleting the session cancels what can still be cancelled (a Stripe
 * authorization is released), so a late event about it must not raise a false alarm.
 */
export async function deletedSessionPayment(
  container: MedusaContainer,
  source: WebhookSource,
  sessionId: string,
  mapped: MappedWebhookEvent,
): Promise<DeletedSessionPayment | undefined> {
  if (await wasDeleted(container, sessionId)) {
    return {
      needs_attention: true,
      reason: `payment session ${sessionId} was deleted (its cart changed) after the customer paid: refund the payment or place the order by hand`,
    }
  }
  if (!mapped.created_here) {
    return undefined
  }
  const truth = mapped.session_data ? await source.readSessionTruth(mapped.session_data) : undefined
  if (truth && !truth.mapped) {
    return {
      needs_attention: false,
      reason: `payment session ${sessionId}, which this store created, was deleted, and the PSP reports its payment ${truth.psp_status}: no money is held`,
    }
  }
  return {
    needs_attention: true,
    reason: `paid at the PSP for payment session ${sessionId}, which this store created and has since deleted (its cart changed): refund the payment or place the order by hand`,
  }
}

/** What a person is told of a money problem: the payment's ids and amount, why, and what else the finder knew. */
export type NeedsAttention = {
  session_id: string | null
  psp_reference: string | null
  /** The amount at stake, in the currency's major unit. */
  amount: number | null
  currency_code: string | null
  reason: string
  details?: Record<string, unknown>
}

/** The report of a mapped event's money problem: its session, PSP payment and amount, or those an effect names. */
export function attentionOf(
  mapped: MappedWebhookEvent,
  reason: string,
  found: { amount?: number; details?: Record<string, unknown> } = {},
): NeedsAttention {
  const amount = found.amount ?? (mapped.data?.amount === undefined ? undefined : Number(mapped.data.amount))
  return {
    session_id: mapped.data?.session_id ?? null,
    psp_reference: mapped.psp_reference ?? null,
    amount: amount ?? null,
    currency_code: mapped.currency_code ?? null,
    reason,
    ...(found.details ? { details: found.details } : {}),
  }
}

/**
 * A money problem the store cannot settle by itself (a payment taken that cannot become an order, a
 * refund that failed after it was booked, an authorization that expired): never silent. One error
 * line with the ids a person needs, and `payment-webhooks.payment_needs_attention` for a store to alert
 * or act from, carrying the amounts. Emitting is best effort: the row is flagged either way. Once per
 * row: a row flagged before (replayed by a person) is not reported again.
 */
export async function reportNeedsAttention(
  container: MedusaContainer,
  logger: Logger,
  claim: ClaimedDelivery,
  attention: NeedsAttention,
): Promise<void> {
  if (claim.needs_attention) {
    // Flagged (and reported) before: a replay of the row says nothing again.
    return
  }
  const { details, ...facts } = attention
  const data = { provider_id: claim.provider_id, event_id: claim.event_id, event_type: claim.event_type, ...details, ...facts }
  logger.error(
    `Payment needs attention: ${claim.provider_id} ${data.psp_reference ?? claim.event_id} (${data.amount ?? "?"} ${(data.currency_code ?? "").toUpperCase()}) ` +
      `for session ${data.session_id ?? "?"}: ${attention.reason}`,
  )
  await emitPluginEvent(container, PaymentWebhookEvents.PAYMENT_NEEDS_ATTENTION, data).catch(() => undefined)
}
