import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * The order each payment session's cart became, for a page of rows at once: two queries (sessions →
 * payment collections → orders), whatever the page's size. Sessions without an order are left out.
 */
export async function ordersOfSessions(container: MedusaContainer, sessionIds: ReadonlyArray<string | null>): Promise<Map<string, string>> {
  const ids = [...new Set(sessionIds.filter((id): id is string => !!id))]
  const orders = new Map<string, string>()
  if (!ids.length) {
    return orders
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  // Deleted sessions too: a paid session dropped by a cart change still names its collection.
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["id", "payment_collection_id"],
    filters: { id: ids },
    withDeleted: true,
  })
  const collections = [
    ...new Set(
      sessions.map((session: { payment_collection_id: string | null }) => session.payment_collection_id).filter((id): id is string => !!id),
    ),
  ]
  if (!collections.length) {
    return orders
  }
  const { data: links } = await query.graph({
    entity: "order_payment_collection",
    fields: ["order_id", "payment_collection_id"],
    filters: { payment_collection_id: collections },
  })
  const orderOfCollection = new Map(
    links.map((link: { order_id: string; payment_collection_id: string }) => [link.payment_collection_id, link.order_id]),
  )
  for (const session of sessions as Array<{ id: string; payment_collection_id: string | null }>) {
    const order = session.payment_collection_id ? orderOfCollection.get(session.payment_collection_id) : undefined
    if (order) {
      orders.set(session.id, order)
    }
  }
  return orders
}
