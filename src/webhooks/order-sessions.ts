import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** The payment sessions behind an order, through its payment collections (for listing an order's deliveries). */
export async function sessionIdsOfOrder(container: MedusaContainer, orderId: string): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: links } = await query.graph({ entity: "order_payment_collection", fields: ["payment_collection_id"], filters: { order_id: orderId } })
  const collectionIds = links.map((link: { payment_collection_id: string }) => link.payment_collection_id)
  if (!collectionIds.length) {
    return []
  }
  const { data: sessions } = await query.graph({ entity: "payment_session", fields: ["id"], filters: { payment_collection_id: collectionIds } })
  return sessions.map((session: { id: string }) => session.id)
}
