import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { inboxContext } from "./inbox-access"
import { isSettled, readPaymentTruth } from "./payment-truth"

/**
 * Marks `processed` the authorize/capture events of these sessions whose outcome the database
 * already shows (the order exists; the payment is captured). Medusa's own subscriber carried them
 * out; without this they would read `received` until the re-drive job checks them. Events whose
 * outcome is not there yet are left to the job.
 */
export async function settleFinishedDeliveries(container: MedusaContainer, sessionIds: string[]): Promise<number> {
  const context = inboxContext(container)
  if (!context?.inbox.inboxOptions.enabled) {
    return 0
  }
  let settled = 0
  for (const row of await context.inbox.receivedPaymentEvents(sessionIds)) {
    if (row.session_id && row.action && isSettled(row.action, await readPaymentTruth(container, row.session_id))) {
      await context.inbox.settle(row.id, "processed")
      settled += 1
    }
  }
  return settled
}

/** The payment sessions behind an order (through its payment collections) or behind one payment. */
export async function sessionIdsOf(container: MedusaContainer, of: { orderId: string } | { paymentId: string }): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  if ("paymentId" in of) {
    const { data } = await query.graph({ entity: "payment", fields: ["payment_session_id"], filters: { id: of.paymentId } })
    return data.map((payment: { payment_session_id?: string | null }) => payment.payment_session_id).filter((id): id is string => !!id)
  }
  const { data: links } = await query.graph({ entity: "order_payment_collection", fields: ["payment_collection_id"], filters: { order_id: of.orderId } })
  const collectionIds = links.map((link: { payment_collection_id: string }) => link.payment_collection_id)
  if (!collectionIds.length) {
    return []
  }
  const { data: sessions } = await query.graph({ entity: "payment_session", fields: ["id"], filters: { payment_collection_id: collectionIds } })
  return sessions.map((session: { id: string }) => session.id)
}
