import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * What ties inbox rows to an order: the payment sessions of its payment collections, and the PSP's ids
 * of its payments. A delivery names one or the other (a refund or a dispute may carry only the PSP's
 * payment id), so the order widget and the list's `order_id` filter both match on either, through
 * {@link orderDeliveriesFilter}.
 */
export type OrderPaymentKeys = { sessionIds: string[]; pspReferences: string[] }

type KeysRecord = {
  payment_collections?: Array<{
    payment_sessions?: Array<{ id: string } | null> | null
    payments?: Array<{ data?: Record<string, unknown> | null } | null> | null
  } | null> | null
}

/** The PSP's id of a payment as its provider data holds it (Stripe's intent `pi_…`, Yoco's checkout `ch_…`). */
export function pspReferenceOf(data: Record<string, unknown> | null | undefined): string | undefined {
  const id = data?.checkout_id ?? data?.id
  return typeof id === "string" && id ? id : undefined
}

/** The keys of an order read with its payment collections' sessions and payments' data (see {@link ORDER_KEY_FIELDS}). */
export function orderPaymentKeysOf(order: KeysRecord): OrderPaymentKeys {
  const collections = (order.payment_collections ?? []).filter((collection) => !!collection)
  return {
    sessionIds: collections.flatMap((collection) =>
      (collection.payment_sessions ?? []).flatMap((session) => (session ? [session.id] : [])),
    ),
    pspReferences: collections.flatMap((collection) =>
      (collection.payments ?? []).flatMap((payment) => pspReferenceOf(payment?.data) ?? []),
    ),
  }
}

/** The order fields {@link orderPaymentKeysOf} reads. */
export const ORDER_KEY_FIELDS = ["payment_collections.payment_sessions.id", "payment_collections.payments.data"] as const

/** The keys of order `orderId`; none for an order the store does not have. */
export async function orderPaymentKeys(container: MedusaContainer, orderId: string): Promise<OrderPaymentKeys> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = (await query.graph({ entity: "order", fields: ["id", ...ORDER_KEY_FIELDS], filters: { id: orderId } })) as { data: KeysRecord[] }
  return order ? orderPaymentKeysOf(order) : { sessionIds: [], pspReferences: [] }
}

/** The inbox filter for an order's deliveries: rows of its sessions or of its payments' PSP ids; null when it has neither. */
export function orderDeliveriesFilter(keys: OrderPaymentKeys): { $or: Array<Record<string, string[]>> } | null {
  const or: Array<Record<string, string[]>> = [
    ...(keys.sessionIds.length ? [{ session_id: keys.sessionIds }] : []),
    ...(keys.pspReferences.length ? [{ psp_reference: keys.pspReferences }] : []),
  ]
  return or.length ? { $or: or } : null
}
