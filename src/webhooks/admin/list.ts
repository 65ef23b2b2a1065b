import type { MedusaContainer } from "@medusajs/framework/types"
import type { PaymentWebhookList, PaymentWebhookListQuery } from "../../types/admin-api"
import { orderDeliveriesFilter, orderPaymentKeys } from "../order-sessions"
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
async function searchFilter(container: MedusaContainer, q: string): Promise<Record<string, unknown>> {
  const order = orderDeliveriesFilter(await orderPaymentKeys(container, q))
  return { $or: [{ id: q }, { session_id: q }, { event_id: q }, { psp_reference: q }, ...(order ? order.$or : [])] }
}

/** One page of recorded deliveries, newest first, and how many match in all. */
export async function listPaymentWebhooks(container: MedusaContainer, query: PaymentWebhookListFilters): Promise<PaymentWebhookList> {
  const page = { limit: query.limit, offset: query.offset }
  const filters: Record<string, unknown> = {}
  if (query.provider) {
    filters.provider_id = providerFilter(query.provider)
  }
  if (query.status) {
    filters.status = query.status
  }
  if (query.source) {
    filters.source = query.source
  }
  if (query.needs_attention !== undefined) {
    filters.needs_attention = query.needs_attention
  }
  if (query.received_from || query.received_to) {
    filters.received_at = {
      ...(query.received_from ? { $gte: query.received_from } : {}),
      ...(query.received_to ? { $lt: query.received_to } : {}),
    }
  }
  if (query.session_id) {
    filters.session_id = query.session_id
  }
  const and: Array<Record<string, unknown>> = [filters]
  if (query.order_id) {
    // The order widget's own match (its sessions, or its payments' PSP ids): the two always agree.
    const order = orderDeliveriesFilter(await orderPaymentKeys(container, query.order_id))
    if (!order) {
      return { payment_webhooks: [], count: 0, ...page }
    }
    and.push(order)
  }
  if (query.q) {
    and.push(await searchFilter(container, query.q))
  }
  const where = and.length > 1 ? { $and: and } : filters
  const [events, count] = await resolveInbox(container).listAndCountPaymentWebhookEvents(where, {
    select: [...PAYMENT_WEBHOOK_FIELDS],
    take: query.limit,
    skip: query.offset,
    order: { received_at: "DESC", id: "DESC" },
  })
  return { payment_webhooks: await toPaymentWebhookRows(container, events), count, ...page }
}
