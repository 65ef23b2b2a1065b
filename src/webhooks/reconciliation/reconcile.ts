import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentActions } from "@medusajs/framework/utils"
import { inboxContext } from "./inbox-access"
import { redrivePaymentWebhooks } from "./redrive"
import { providerInstance } from "./provider-instances"

/** Counts of what one reconciliation pass did. */
export type ReconcileSummary = { checked: number; paid: number; errors: number }

/** Session statuses that may hide a payment the store never heard of. */
const OPEN_STATUSES = ["pending", "requires_more"]

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Looks up, at their PSP, this plugin's sessions still open after `reconcileAfterSeconds` and
 * younger than `reconcileHorizonSeconds`. A paid one is recorded as if its webhook had come and
 * completed through the same re-drive path: a store whose endpoint was never set still gets its orders.
 */
export async function reconcilePendingSessions(
  container: MedusaContainer,
  options: { olderThanSeconds?: number } = {}
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { checked: 0, paid: 0, errors: 0 }
  const context = inboxContext(container)
  if (!context?.inbox.inboxOptions.enabled || !context.providers.size) {
    return summary
  }
  const { inbox, providers } = context
  const settings = inbox.inboxOptions
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const now = Date.now()
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["id", "provider_id", "status", "amount", "currency_code", "data", "created_at"],
    filters: {
      provider_id: [...providers.keys()].map((key) => `pp_${key}`),
      status: OPEN_STATUSES,
      created_at: {
        $lte: new Date(now - (options.olderThanSeconds ?? settings.reconcileAfterSeconds) * 1000),
        $gte: new Date(now - settings.reconcileHorizonSeconds * 1000),
      },
    },
    pagination: { take: settings.batchSize * 4, order: { created_at: "ASC" } },
  })

  for (const [key, entry] of providers) {
    const mine = sessions.filter((session) => session.provider_id === `pp_${key}`)
    const due = new Set(await inbox.sessionsDueForCheck(key, mine.map((session) => session.id)))
    let reader: ReturnType<typeof providerInstance>
    try {
      reader = providerInstance(entry, logger)
    } catch (error) {
      logger.warn(`Cannot reconcile ${key}: ${message(error)}`)
      continue
    }
    for (const session of mine.filter((candidate) => due.has(candidate.id)).slice(0, settings.batchSize)) {
      if (!reader) {
        break
      }
      summary.checked += 1
      try {
        const { status } = await reader.getPaymentStatus({ data: session.data ?? {} })
        if (status !== "authorized" && status !== "captured") {
          await inbox.noteSessionChecked(key, session.id, status)
          continue
        }
        const action = status === "captured" ? PaymentActions.SUCCESSFUL : PaymentActions.AUTHORIZED
        const recorded = await inbox.recordDelivery({
          provider_id: key,
          event_id: `reconcile:${session.id}:${status}`,
          event_type: `reconciliation.${status}`,
          session_id: session.id,
          action,
          amount: Number(session.amount),
          currency_code: session.currency_code,
          status: "received",
          source: "reconciliation",
          last_error: null,
          body_hash: "",
          details: null,
          raw_body: null,
        })
        if (recorded.duplicate) {
          // Already in the inbox (being re-driven, or failed for an admin to look at): just back off.
          await inbox.noteSessionChecked(key, session.id, `${status}, already recorded`)
          continue
        }
        summary.paid += 1
        logger.info(`Reconciliation found session ${session.id} ${status} at the PSP with no processed webhook`)
        await redrivePaymentWebhooks(container, { olderThanSeconds: 0, ids: [recorded.id] })
      } catch (error) {
        summary.errors += 1
        logger.warn(`Reconciliation of session ${session.id} failed: ${message(error)}`)
      }
    }
  }
  return summary
}
