import type { Logger } from "@medusajs/framework/types"
import { errorMessage } from "../../lib/errors"
import { keepRenewing } from "../../lib/keep-renewing"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery, DeliveryVerdict, InboxStatus } from "../../modules/payment-webhooks/types"
import { attentionOf, type NeedsAttention } from "./needs-attention"
import { AttemptFailed, type Decision, type ProcessOptions, type ProcessResult } from "./result"

/** The inbox's part in processing one row: claims, renewals, verdicts and retries, each only while the claim holds. */
export type ProcessorInbox = {
  readonly inboxOptions: { leaseSeconds: number; maxAttempts: number }
  claim(id: string, options: Pick<ProcessOptions, "evenIfBackingOff">): Promise<ClaimedDelivery | null>
  renewClaim(claim: ClaimedDelivery): Promise<boolean>
  settle(claim: ClaimedDelivery, verdict: DeliveryVerdict): Promise<boolean>
  retryLater(
    claim: ClaimedDelivery,
    reason: string,
    learnt: Pick<DeliveryVerdict, "facts" | "needs_attention">,
  ): Promise<InboxStatus | null>
}

/** What processing one row calls on: the inbox, the attempt itself, and the reports a person and the metrics get. */
export type ProcessorPorts = {
  inbox: ProcessorInbox
  logger: Logger
  /** Runs `work` in one of this process's turns. */
  inTurn<T>(work: () => Promise<T>): Promise<T>
  /** One attempt at the row: its verdict, or {@link AttemptFailed} to try again later. */
  attempt(claim: ClaimedDelivery): Promise<Decision>
  /** The payment a stored event takes, read once its row is settled (best effort: undefined when none or unknown). */
  paymentTaken(claim: ClaimedDelivery): Promise<MappedWebhookEvent | undefined>
  /** Tells a person of a money problem (once per row). */
  reportAttention(claim: ClaimedDelivery, attention: NeedsAttention): Promise<void>
  /** Tells stores an event's amount or currency does not match its session. */
  reportAmountMismatch(claim: ClaimedDelivery, mismatch: NonNullable<Decision["amountMismatch"]>): Promise<void>
  /** Counts the attempt and raises `delivery_failed` for a row that ended failed for the first time; never throws. */
  attemptEnded(claim: ClaimedDelivery, result: ProcessResult, payment?: MappedWebhookEvent): Promise<ProcessResult>
}

/**
 * Processing one recorded delivery, start to end: wait for a turn (unless the caller runs it outside
 * the live turns, under its own limit); claim the row (or skip it, when it is not to be had); hold the
 * claim for as long as the work runs; give up on a row claimed too often without ever settling, or make
 * one attempt; then settle the row with the attempt's verdict (only while the claim holds), or give it
 * back to be tried again after a backoff, `failed` once its attempts run out; and report what a person
 * or the metrics must know. Pure orchestration over its ports.
 */
export async function runDelivery(ports: ProcessorPorts, id: string, options: ProcessOptions = {}): Promise<ProcessResult> {
  const work = async (): Promise<ProcessResult> => {
    const claim = await ports.inbox.claim(id, { evenIfBackingOff: options.evenIfBackingOff })
    if (!claim) {
      return { status: "skipped" }
    }
    // The claim holds as long as this process works on the row, however long: no second processor overlaps it.
    const renewing = keepRenewing(() => ports.inbox.renewClaim(claim), (ports.inbox.inboxOptions.leaseSeconds * 1000) / 3)
    try {
      if (claim.attempts > ports.inbox.inboxOptions.maxAttempts) {
        return await giveUp(ports, claim)
      }
      let decision: Decision
      try {
        decision = await ports.attempt(claim)
      } catch (error) {
        return await retryLater(ports, claim, error)
      }
      return await settleDecision(ports, claim, decision)
    } finally {
      renewing.stop()
    }
  }
  return options.outsideLiveTurns ? work() : ports.inTurn(work)
}

/** The claim ran out before the row settled: the processor that holds it now settles it. */
function claimLost(ports: ProcessorPorts, claim: ClaimedDelivery): ProcessResult {
  ports.logger.warn(
    `Payment webhook ${claim.provider_id} ${claim.event_id}: its claim ran out before it settled; the processor that holds it now settles it`,
  )
  return { status: "claim_lost" }
}

async function settleDecision(ports: ProcessorPorts, claim: ClaimedDelivery, decision: Decision): Promise<ProcessResult> {
  const { verdict } = decision
  // Told before the row settles: a person learns of it even should this process die right after.
  if (decision.amountMismatch && !claim.needs_attention) {
    await ports.reportAmountMismatch(claim, decision.amountMismatch)
  }
  if (decision.attention) {
    await ports.reportAttention(claim, decision.attention)
  }
  if (!(await ports.inbox.settle(claim, verdict))) {
    return claimLost(ports, claim)
  }
  if (verdict.status === "ignored") {
    ports.logger.info(`Payment webhook ${claim.provider_id} ${claim.event_id} (${claim.event_type ?? "?"}) ignored: ${verdict.reason}`)
  }
  return ports.attemptEnded(claim, { status: verdict.status, reason: verdict.reason ?? undefined }, decision.payment)
}

/** A failed attempt: the row is given back with what was learnt, or ends `failed` once its attempts are spent. */
async function retryLater(ports: ProcessorPorts, claim: ClaimedDelivery, error: unknown): Promise<ProcessResult> {
  const reason = errorMessage(error)
  const learnt = error instanceof AttemptFailed ? error.learnt : {}
  const status = await ports.inbox.retryLater(claim, reason, { facts: learnt.facts, needs_attention: !!learnt.payment })
  if (status === "failed") {
    if (learnt.payment) {
      // Money the PSP took that never became an order after every attempt: never silent.
      await ports.reportAttention(claim, attentionOf(learnt.payment, reason))
    }
    return ports.attemptEnded(claim, { status: "failed", reason }, learnt.payment)
  }
  if (!status) {
    return ports.attemptEnded(claim, claimLost(ports, claim))
  }
  ports.logger.warn(`Payment webhook ${claim.provider_id} ${claim.event_id} will be tried again: ${reason}`)
  return ports.attemptEnded(claim, { status: "retrying", reason })
}

/**
 * A row claimed more than `maxAttempts` times without ever settling (each attempt died with its
 * process or outlived its lease): it ends `failed`, flagged for a person whatever its event, since
 * nobody knows how far its attempts got. It is settled first, with no call that might be what kept
 * killing it; only then is its stored event read, to tell whether it took money and say so.
 */
async function giveUp(ports: ProcessorPorts, claim: ClaimedDelivery): Promise<ProcessResult> {
  const reason = `gave up after ${claim.attempts - 1} attempts that never finished (the process stopped, or ran past its lease)`
  if (!(await ports.inbox.settle(claim, { status: "failed", reason, needs_attention: true }))) {
    return ports.attemptEnded(claim, claimLost(ports, claim))
  }
  const payment = await ports.paymentTaken(claim)
  if (payment) {
    await ports.reportAttention(claim, attentionOf(payment, reason))
  }
  return ports.attemptEnded(claim, { status: "failed", reason }, payment)
}
