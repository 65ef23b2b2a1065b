import type { MedusaContainer } from "@medusajs/framework/types"
import type { PaymentWebhookList, PaymentWebhookListQuery } from "../../types/admin-api"
import type { DeliveryKeys, DeliveryListFilter } from "../../modules/payment-webhooks/admin-statements"
import { orderPaymentKeys } from "../order-sessions"
import { providerFilter, resolveInbox } from "./inbox"
import { PAYMENT_WEBHOOK_FIELDS, toPaymentWebhookRows } from "./rows"

/** The list's query, validated: its instants read, `needs_attention` a boolean, the page's defaults applied. */
export type PaymentWebhookListFilters = Omit<PaymentWebhookListQuery, "received_from" | "received_to" | "limit" | "offset"> & {
  received_from?: Date
  received_to?: Date
  limit: number
  offset: number
}

/** The `q` search: exact match on the row id, session, PSP event id, PSP payment id, or an order's deliveries (as `order_id` finds them). */
async function searchKeys(container: MedusaContainer, q: string): Promise<DeliveryKeys> {
  const order = await orderPaymentKeys(container, q)
  return { ids: [q], sessionIds: [q, ...order.sessionIds], eventIds: [q], pspReferences: [q, ...order.pspReferences] }
}

/** One page of recorded deliveries, newest first, and how many match in all (counted up to 10 000). */
export async function listPaymentWebhooks(container: MedusaContainer, query: PaymentWebhookListFilters): Promise<PaymentWebhookList> {
  const page = { limit: query.limit, offset: query.offset }
  const filter: DeliveryListFilter = {
    providerId: query.provider ? providerFilter(query.provider) : undefined,
    status: query.status,
    source: query.source,
    needsAttention: query.needs_attention,
    receivedFrom: query.received_from,
    receivedTo: query.received_to,
    sessionId: query.session_id,
    keyGroups: [],
  }
  if (query.order_id) {
    // The order widget's own match (its sessions, or its payments' PSP ids): the two always agree.
    filter.keyGroups?.push(await orderPaymentKeys(container, query.order_id))
  }
  if (query.q) {
    filter.keyGroups?.push(await searchKeys(container, query.q))
  }
  const inbox = resolveInbox(container)
  const found = await inbox.pageOfDeliveries(filter, page)
  const events = found.ids.length ? await inbox.listPaymentWebhookEvents({ id: found.ids }, { select: [...PAYMENT_WEBHOOK_FIELDS] }) : []
  const byId = new Map(events.map((event) => [event.id, event]))
  const inOrder = found.ids.flatMap((id) => byId.get(id) ?? [])
  return { payment_webhooks: await toPaymentWebhookRows(container, inOrder), count: found.count, count_capped: found.count_capped, ...page }
}
