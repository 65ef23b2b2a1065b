import type { ILockingModule, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { errorMessage, isUnusableEventError } from "../../lib/errors"
import type { MappedWebhookEvent, WebhookSource } from "../../lib/webhook-result"
import type { ClaimedDelivery, DeliveryFacts, DeliveryVerdict } from "../../modules/payment-webhooks/types"
import { applyEffect, type EffectOutcome } from "../effects"
import type { InboxSource } from "../edge/webhook-sources"
import { attemptForeignDelivery } from "./attempt-foreign"
import { carryOutPayment } from "./carry-out-payment"
import { judge } from "./guard"
import { interpretClaim } from "./interpret"
import { attentionOf, deletedSessionPayment } from "./needs-attention"
import { planFor, type Plan } from "./plan"
import type { PaymentState } from "../effects/payment-context"
import { readPaymentContext, readPaymentState } from "./read-payment-context"
import { AttemptFailed, type Decision } from "./result"
import { exclusively, type LockTiming } from "./session-lock"
import { inSpan } from "../telemetry/spans"

/** What an attempt needs besides the row: the store, the row's provider, and how the session's lock is held. */
export type AttemptDeps = { container: MedusaContainer; source: InboxSource | undefined; lock: LockTiming }

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

const settle = (verdict: DeliveryVerdict, more: Omit<Decision, "verdict"> = {}): Decision => ({ verdict, ...more })

/**
 * One attempt at a claimed row, as a story: which provider it came through; what the event means
 * (its provider maps it, asking the PSP where the event leaves something out); what it asks for; then,
 * alone for its payment session across every process, whether the session exists and is this event's
 * (provider, PSP object, amount, currency), and carrying out its effect. Answers the row's verdict with
 * what a person must be told; throws {@link AttemptFailed} when it must be tried again later.
 * Settling and reporting are the caller's: this decides, it does not write the row.
 */
export async function attemptDelivery(deps: AttemptDeps, claim: ClaimedDelivery): Promise<Decision> {
  const { container } = deps
  if (!deps.source) {
    return settle({ status: "ignored", reason: `payment provider pp_${claim.provider_id} is not configured in this store` })
  }
  if (deps.source.kind === "foreign") {
    return attemptForeignDelivery(container, deps.source.provider, deps.lock, claim)
  }
  const source = deps.source.source
  let mapped: MappedWebhookEvent | { unpaid: string }
  try {
    mapped = await inSpan("interpret", () => interpretClaim(container, source, claim))
  } catch (error) {
    if (isUnusableEventError(error)) {
      return settle({ status: "ignored", reason: error.message })
    }
    throw new AttemptFailed(errorMessage(error))
  }
  if ("unpaid" in mapped) {
    return settle({ status: "ignored", reason: mapped.unpaid })
  }
  const facts = factsOf(mapped)
  const plan = planFor(mapped)
  if (plan.kind === "ignore") {
    return settle({ status: "ignored", reason: plan.reason, facts })
  }
  const payment = plan.kind === "payment" ? mapped : undefined
  try {
    const locking = container.resolve<ILockingModule>(Modules.LOCKING)
    // A payment event reads only what an authorization or capture is judged by; an effect (a refund, a
    // dispute…) reads the refunds and the order too.
    const act =
      plan.kind === "payment"
        ? () =>
            actOnSession(container, source, claim, mapped, plan, facts, readPaymentState, (context) =>
              carryOutPayment(container, plan, context, source),
            )
        : () =>
            actOnSession(container, source, claim, mapped, plan, facts, readPaymentContext, (context) =>
              inSpan("effect", () => applyEffect(container, source, context, plan.effect, { firstProcessing: !claim.processed_before })),
            )
    return await exclusively(locking, `payment-webhooks:session:${plan.session_id}`, deps.lock, act)
  } catch (error) {
    throw error instanceof AttemptFailed ? error : new AttemptFailed(errorMessage(error), { facts, payment })
  }
}

/** Guards the planned event against its session (as `read` gives it) and carries it out; under the session's lock. */
async function actOnSession<Context extends PaymentState>(
  container: MedusaContainer,
  source: WebhookSource,
  claim: ClaimedDelivery,
  mapped: MappedWebhookEvent,
  plan: Exclude<Plan, { kind: "ignore" }>,
  facts: DeliveryFacts,
  read: (container: MedusaContainer, sessionId: string) => Promise<Context | undefined>,
  carryOut: (context: Context) => Promise<EffectOutcome>,
): Promise<Decision> {
  const payment = plan.kind === "payment" ? mapped : undefined
  const context = await inSpan("read_payment", () => read(container, plan.session_id))
  if (!context) {
    const gone = payment ? await deletedSessionPayment(container, source, plan.session_id, mapped) : undefined
    if (gone?.needs_attention) {
      return settle(
        { status: "failed", reason: gone.reason, facts, needs_attention: true },
        { payment, attention: attentionOf(mapped, gone.reason) },
      )
    }
    return settle({ status: "ignored", reason: gone?.reason ?? `payment session ${plan.session_id} does not exist in this store`, facts })
  }
  const verdict = judge(plan, claim.provider_id, context, {
    sessionReference: source.sessionPspReference(context.session.data),
    minorUnits: (amount, currency) => source.minorUnits(amount, currency),
  })
  if (!verdict.ok) {
    const failed = verdict.status === "failed"
    return settle(
      { status: verdict.status, reason: verdict.reason, facts, needs_attention: failed },
      failed
        ? {
            payment,
            attention: attentionOf(mapped, verdict.reason),
            ...(verdict.amountMismatch ? { amountMismatch: { session_id: plan.session_id, reason: verdict.reason } } : {}),
          }
        : {},
    )
  }
  const outcome = await carryOut(context)
  if (outcome.status === "retry") {
    throw new AttemptFailed(outcome.reason ?? "not possible yet", { facts, payment })
  }
  if (outcome.attention) {
    // Carried out as far as it can be; what it found is for a person, and the row stays flagged.
    const attention = attentionOf(mapped, outcome.attention.reason, outcome.attention)
    return settle(
      { status: outcome.status, reason: outcome.attention.reason, outcome: outcome.did ?? null, facts, needs_attention: true },
      { payment, attention },
    )
  }
  return settle({ status: outcome.status, reason: outcome.reason ?? null, outcome: outcome.did ?? null, facts }, { payment })
}
