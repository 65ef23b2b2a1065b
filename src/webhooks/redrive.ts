import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { InboxRow } from "../modules/payment-webhooks/types"
import type { WebhookEffect } from "../lib/webhook-result"
import { isPaymentAction } from "./dispatch"
import { guardAgainstSession } from "./amount-guard"
import { applyEffect, effectOf, type EffectOutcome } from "./effects"
import { inboxContext, type InboxContext } from "./inbox-access"
import { isSettled, readPaymentTruth } from "./payment-truth"

/** Counts of what one re-drive pass did. */
export type RedriveSummary = { claimed: number; processed: number; ignored: number; retried: number; failed: number }

/** Options of one pass: `olderThanSeconds` overrides the configured age; `ids` limits it to these events. */
export type RedriveOptions = { olderThanSeconds?: number; ids?: string[] }

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Settles one claimed event against the database's truth: already done → processed; unknown
 * session → ignored; otherwise `processPaymentWorkflow` runs again and the truth is read anew.
 */
async function redriveOne(container: MedusaContainer, inbox: InboxContext["inbox"], row: InboxRow): Promise<keyof Omit<RedriveSummary, "claimed">> {
  const effect = effectOf(row.details)
  if (effect && row.session_id) {
    return carryOutEffect(container, inbox, row, row.session_id, effect)
  }
  if (!row.session_id || !isPaymentAction(row.action)) {
    await inbox.settle(row.id, "ignored", "no payment session or action to re-drive")
    return "ignored"
  }
  const before = await readPaymentTruth(container, row.session_id)
  if (!before.sessionExists) {
    await inbox.settle(row.id, "ignored", `payment session ${row.session_id} does not exist in this store`)
    return "ignored"
  }
  if (isSettled(row.action, before)) {
    await inbox.settle(row.id, "processed")
    return "processed"
  }
  if (row.amount !== null) {
    // The edge checks this before recording its verdict; a crash in between leaves the row received.
    const verdict = await guardAgainstSession(container, inbox, {
      session_id: row.session_id, amount: row.amount, currency_code: row.currency_code, action: row.action,
    })
    if (!verdict.ok) {
      await inbox.settle(row.id, verdict.status, verdict.reason)
      return verdict.status
    }
  }
  try {
    await processPaymentWorkflow(container).run({
      input: { action: row.action, data: { session_id: row.session_id, amount: Number(row.amount ?? 0) } },
      throwOnError: true,
    })
  } catch (error) {
    const status = await inbox.recordAttemptFailure(row, message(error))
    return status === "failed" ? "failed" : "retried"
  }
  const after = await readPaymentTruth(container, row.session_id)
  if (isSettled(row.action, after)) {
    await inbox.settle(row.id, "processed")
    return "processed"
  }
  // processPaymentWorkflow tolerates a failed cart completion; the event is not done until the order exists.
  const reason = after.cartId && !after.orderId ? `cart ${after.cartId} was not completed into an order` : "payment not settled"
  const status = await inbox.recordAttemptFailure(row, reason)
  return status === "failed" ? "failed" : "retried"
}

/** Carries out what the plugin itself handles (failures, refunds, disputes) and settles the event. */
async function carryOutEffect(
  container: MedusaContainer,
  inbox: InboxContext["inbox"],
  row: InboxRow,
  sessionId: string,
  effect: WebhookEffect
): Promise<keyof Omit<RedriveSummary, "claimed">> {
  let outcome: EffectOutcome
  try {
    outcome = await applyEffect(container, sessionId, effect)
  } catch (error) {
    outcome = { status: "failed", reason: message(error) }
  }
  if (outcome.status === "failed") {
    const status = await inbox.recordAttemptFailure(row, outcome.reason ?? "failed")
    return status === "failed" ? "failed" : "retried"
  }
  await inbox.settle(row.id, outcome.status, outcome.reason ?? null)
  return outcome.status
}

/** How long one run keeps claiming batches while a backlog lasts; the next run takes over the rest. */
const RUN_BUDGET_MS = 20_000

/**
 * One re-drive run: claims due events (rows held by another process are skipped, so two servers
 * never work on the same event) and settles each, batch after batch while full batches keep
 * coming (a burst's backlog clears in one run, not one batch a minute). Safe to run at any time.
 */
export async function redrivePaymentWebhooks(container: MedusaContainer, options: RedriveOptions = {}): Promise<RedriveSummary> {
  const summary: RedriveSummary = { claimed: 0, processed: 0, ignored: 0, retried: 0, failed: 0 }
  const context = inboxContext(container)
  if (!context?.inbox.inboxOptions.enabled) {
    return summary
  }
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const started = Date.now()
  let full = true
  while (full && Date.now() - started < RUN_BUDGET_MS) {
    const rows = await context.inbox.claimDue(options)
    summary.claimed += rows.length
    // Settled rows leave the due set and failed attempts are pushed out, so each batch is new work.
    full = rows.length >= context.inbox.inboxOptions.batchSize && !options.ids?.length
    for (const row of rows) {
      try {
        summary[await redriveOne(container, context.inbox, row)] += 1
      } catch (error) {
        // A database hiccup while settling: the lease expires and the next run takes the event again.
        logger.warn(`Re-drive of ${row.provider_id} event ${row.event_id} stopped: ${message(error)}`)
        summary.retried += 1
      }
    }
  }
  if (summary.claimed) {
    logger.info(`Payment webhooks re-driven: ${JSON.stringify(summary)}`)
  }
  return summary
}
