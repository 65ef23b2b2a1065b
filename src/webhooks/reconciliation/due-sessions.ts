import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"

/** A session reconciliation may look up. */
export type OpenSession = { id: string; provider_id: string; data: Record<string, unknown> | null }

/** Session statuses that may hide a payment the store never heard of (`error`: a decline the customer may have retried). */
const OPEN_STATUSES = ["pending", "requires_more", "error"]

/** Pages read in one pass at most, so a pass stays short whatever the backlog. */
const MAX_PAGES = 50

/**
 * Up to `limit` of one provider entry's sessions that are due for a look at the PSP: still open in
 * the window (deleted ones included: a cart change deletes a session whose payment may already have
 * been taken), newest first, their own backoff passed. Read page by page and filtered as it goes,
 * so sessions checked recently (or a backlog of abandoned ones) never hide those that are due.
 */
export async function dueSessions(
  container: MedusaContainer,
  inbox: PaymentWebhooksModuleService,
  providerKey: string,
  window: { olderThanSeconds: number; horizonSeconds: number; limit: number },
): Promise<OpenSession[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const now = Date.now()
  const pageSize = window.limit * 4
  const due: OpenSession[] = []
  for (let page = 0; page < MAX_PAGES && due.length < window.limit; page++) {
    const { data } = await query.graph({
      entity: "payment_session",
      fields: ["id", "provider_id", "data"],
      filters: {
        provider_id: `pp_${providerKey}`,
        status: OPEN_STATUSES,
        created_at: { $lte: new Date(now - window.olderThanSeconds * 1000), $gte: new Date(now - window.horizonSeconds * 1000) },
      },
      pagination: { take: pageSize, skip: page * pageSize, order: { created_at: "DESC", id: "DESC" } },
      withDeleted: true,
    })
    const sessions: OpenSession[] = data
    const dueIds = new Set(
      await inbox.sessionsDueForCheck(
        providerKey,
        sessions.map((session) => session.id),
      ),
    )
    due.push(...sessions.filter((session) => dueIds.has(session.id)))
    if (sessions.length < pageSize) {
      break
    }
  }
  return due.slice(0, window.limit)
}
