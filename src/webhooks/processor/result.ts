import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { DeliveryFacts, DeliveryVerdict } from "../../modules/payment-webhooks/types"
import type { NeedsAttention } from "./needs-attention"

/** How one processing ended: the row's new status, or `skipped` when the row was not to be claimed. */
export type ProcessResult = { status: "processed" | "ignored" | "failed" | "retrying" | "skipped" | "claim_lost"; reason?: string }

/** Options of one processing. */
export type ProcessOptions = {
  /** Take the row even while it waits out a backoff (an admin's replay). */
  evenIfBackingOff?: boolean
  /**
   * Run at once, outside this process's turns for live deliveries: the caller bounds its own
   * concurrency (a bulk replay, under its own limiter), so deliveries arriving meanwhile never wait behind it.
   */
  outsideLiveTurns?: boolean
}

/** What one attempt decided for its row: the verdict it settles with, and what the reports need. */
export type Decision = {
  verdict: DeliveryVerdict
  /** The payment the event takes (authorized or captured), if any: its alert names it. */
  payment?: MappedWebhookEvent
  /** A money problem for a person, reported before the row settles. */
  attention?: NeedsAttention
  /** The event's amount or currency does not match its session: `amount_mismatch` is raised too. */
  amountMismatch?: { session_id: string; reason: string }
}

/**
 * An attempt that could not finish (a PSP or database hiccup, a lock that timed out, work that is
 * not possible yet): the row is given back and tried again later. Carries what the attempt learnt
 * of the event before it stopped, for the row and, should its retries run out, for the alerts.
 */
export class AttemptFailed extends Error {
  override readonly name = "AttemptFailed"

  constructor(
    message: string,
    readonly learnt: { facts?: DeliveryFacts; payment?: MappedWebhookEvent } = {},
  ) {
    super(message)
  }
}
