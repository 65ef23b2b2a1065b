import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage, isUnusableEventError } from "../../lib/errors"
import { keepRenewing } from "../../lib/keep-renewing"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import type { ClaimedDelivery, DeliveryFacts, DeliveryVerdict } from "../../modules/payment-webhooks/types"
import { webhookSources } from "../edge/webhook-sources"
import { applyEffect } from "../effects"
import type { EffectOutcome } from "../effects/outcome"
import { readPaymentContext } from "../effects/payment-context"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"
import { carryOutPayment } from "./carry-out-payment"
import { judge } from "./guard"
import { giveUp } from "./give-up"
import { attentionOf, deletedSessionPayment, reportNeedsAttention } from "./needs-attention"
import { interpretClaim } from "./interpret"
import { planFor } from "./plan"
import { inTurn } from "./turns"
import { attemptEnded } from "../alerts/attempt-ended"

/** How one processing ended: the row's new status, or `skipped` when the row was not to be claimed. */
export type ProcessResult = { status: "processed" | "ignored" | "failed" | "retrying" | "skipped" | "claim_lost"; reason?: string }

/** Options of {@link processDelivery}. */
export type ProcessOptions = {
  /** Take the row even while it waits out a backoff (an admin's replay). */
  evenIfBackingOff?: boolean
  /** How long this claim holds, in seconds, instead of the configured `leaseSeconds`. */
  leaseSeconds?: number
}

/** The facts of a mapped event, as the row records them. */
function factsOf(mapped: MappedWebhookEvent): DeliveryFacts {
  return {
    session_id: mapped.data?.session_id ?? null,
    action: mapped.action,
    amount: mapped.data?.amount === undefined ? null : Number(mapped.data.amount),
    currency_code: mapped.currency_code ?? null,
    details: mapped.effect ? { effect: mapped.effect } : null,
    psp_reference: mapped.psp_reference ?? null,
  }
}

/**
 * The one processor: the only code that acts on a recorded delivery, whoever calls it (the
 * subscriber right after the record, the job for due rows, an admin's replay). It claims the row
 * under a lease, maps the stored event (asking the PSP what the event leaves out), and then, alone
 * for that payment session across every process, guards it (the session exists and is this
 * provider's, the amount and currency match), carries out its effect, and settles the row only if
 * it still holds the claim. Every effect checks what the store already holds first, so running it
 * twice on one row never does anything twice. Waits for one of this process's turns.
 */
export async function processDelivery(container: MedusaContainer, id: string, options: ProcessOptions = {}): Promise<ProcessResult> {
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  return inTurn(inbox, async () => {
    const claim = await inbox.claim(id, options)
    if (!claim) {
      return { status: "skipped" }
    }
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    if (claim.attempts > inbox.inboxOptions.maxAttempts) {
      // Claimed this often without ever settling: each attempt died with its process or outlived its lease.
      const reason = `gave up after ${claim.attempts - 1} attempts that never finished (the process stopped, or ran past its lease)`
      return giveUp(container, logger, claim, reason, (verdict) => settle(inbox, logger, claim, verdict))
    }
    const taken: { payment?: MappedWebhookEvent; facts?: DeliveryFacts } = {}
    // The claim holds as long as this process works on the row, however long: no second processor overlaps it.
    const renewing = keepRenewing(() => inbox.renewClaim(claim), (inbox.inboxOptions.leaseSeconds * 1000) / 3)
    try {
      return await attemptEnded(container, claim, await processClaim(container, inbox, logger, claim, taken), taken.payment)
    } catch (error) {
      // A PSP or database hiccup, a lock that timed out: the row is given back and tried again later.
      const reason = errorMessage(error)
      const status = await inbox.retryLater(claim, reason, { facts: taken.facts, needs_attention: !!taken.payment })
      if (status === "failed") {
        if (taken.payment) {
          // Money the PSP took that never became an order after every attempt: never silent.
          await reportNeedsAttention(container, logger, claim, attentionOf(taken.payment, reason))
        }
        // The alert says it failed for good, in one error line.
        return attemptEnded(container, claim, { status: "failed", reason }, taken.payment)
      }
      logger.warn(`Payment webhook ${claim.provider_id} ${claim.event_id} will be tried again: ${reason}`)
      return attemptEnded(container, claim, { status: status ? "retrying" : "claim_lost", reason })
    } finally {
      renewing.stop()
    }
  })
}

async function processClaim(
  container: MedusaContainer,
  inbox: PaymentWebhooksModuleService,
  logger: Logger,
  claim: ClaimedDelivery,
  taken: { payment?: MappedWebhookEvent; facts?: DeliveryFacts }
): Promise<ProcessResult> {
  const source = (await webhookSources(container)).get(claim.provider_id)
  if (!source) {
    return settle(inbox, logger, claim, { status: "ignored", reason: `payment provider pp_${claim.provider_id} is not configured in this store` })
  }
  let mapped: MappedWebhookEvent | { unpaid: string }
  try {
    mapped = await interpretClaim(container, source, claim)
  } catch (error) {
    if (isUnusableEventError(error)) {
      return settle(inbox, logger, claim, { status: "ignored", reason: error.message })
    }
    throw error
  }
  if ("unpaid" in mapped) {
    return settle(inbox, logger, claim, { status: "ignored", reason: mapped.unpaid })
  }
  const facts = factsOf(mapped)
  taken.facts = facts
  const plan = planFor(mapped)
  if (plan.kind === "ignore") {
    return settle(inbox, logger, claim, { status: "ignored", reason: plan.reason, facts })
  }
  if (plan.kind === "payment") {
    taken.payment = mapped
  }
  return inbox.exclusively(`payment-webhooks:session:${plan.session_id}`, async () => {
    if (!(await inbox.renewClaim(claim))) {
      // The wait for the lock outlasted the claim: another processor holds the row now.
      return { status: "claim_lost" as const }
    }
    const context = await readPaymentContext(container, plan.session_id)
    if (!context) {
      const gone = plan.kind === "payment" ? await deletedSessionPayment(container, source, plan.session_id, mapped) : undefined
      if (gone?.needs_attention) {
        await reportNeedsAttention(container, logger, claim, attentionOf(mapped, gone.reason))
        return settle(inbox, logger, claim, { status: "failed", reason: gone.reason, facts, needs_attention: true })
      }
      return settle(inbox, logger, claim, { status: "ignored", reason: gone?.reason ?? `payment session ${plan.session_id} does not exist in this store`, facts })
    }
    const verdict = judge(plan, claim.provider_id, context, source.sessionPspReference(context.session.data))
    if (!verdict.ok) {
      // A replay of a row already flagged says nothing again: the person was told the first time.
      if (verdict.status === "failed" && !claim.needs_attention) {
        if (verdict.amountMismatch) {
          await emitPluginEvent(container, PaymentWebhookEvents.AMOUNT_MISMATCH, {
            provider_id: claim.provider_id, event_id: claim.event_id, session_id: plan.session_id, reason: verdict.reason,
          }).catch(() => undefined)
        }
        await reportNeedsAttention(container, logger, claim, attentionOf(mapped, verdict.reason))
      }
      return settle(inbox, logger, claim, { status: verdict.status, reason: verdict.reason, facts, needs_attention: verdict.status === "failed" })
    }
    const outcome: EffectOutcome = plan.kind === "payment"
      ? await carryOutPayment(container, plan, context)
      : await applyEffect(container, source, context, plan.effect, { firstProcessing: !claim.processed_before })
    if (outcome.status === "retry") {
      throw new Error(outcome.reason ?? "not possible yet")
    }
    if (outcome.attention) {
      // The effect was carried out as far as it can be; what it found is for a person (the row stays flagged).
      await reportNeedsAttention(container, logger, claim, attentionOf(mapped, outcome.attention.reason, outcome.attention))
      return settle(inbox, logger, claim, { status: outcome.status, reason: outcome.attention.reason, outcome: outcome.did ?? null, facts, needs_attention: true })
    }
    return settle(inbox, logger, claim, { status: outcome.status, reason: outcome.reason ?? null, outcome: outcome.did ?? null, facts })
  })
}

/** Settles the row while the claim holds, and says so in the log when it does not or when a person should look. */
async function settle(inbox: PaymentWebhooksModuleService, logger: Logger, claim: ClaimedDelivery, verdict: DeliveryVerdict): Promise<ProcessResult> {
  const held = await inbox.settle(claim, verdict)
  const what = `Payment webhook ${claim.provider_id} ${claim.event_id} (${claim.event_type ?? "?"})`
  if (!held) {
    logger.warn(`${what}: its claim ran out before it settled; the processor that holds it now settles it`)
    return { status: "claim_lost" }
  }
  // A failure is reported by the alert (`attemptEnded`), in one error line.
  if (verdict.status === "ignored") {
    logger.info(`${what} ignored: ${verdict.reason}`)
  }
  return { status: verdict.status, reason: verdict.reason ?? undefined }
}
