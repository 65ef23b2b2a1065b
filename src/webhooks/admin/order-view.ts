import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { OrderPaymentComparison, OrderPaymentWebhooks } from "../../types/admin-api"
import { ORDER_KEY_FIELDS, orderDeliveriesFilter, orderPaymentKeysOf } from "../order-sessions"
import { resolveInbox } from "./inbox"
import { pspViewOf } from "./psp-view"
import { PAYMENT_WEBHOOK_FIELDS, toPaymentWebhookRows } from "./rows"

/** How many of an order's deliveries the widget shows. */
const ORDER_ROWS = 50

type Amount = Parameters<typeof MathBN.convert>[0]
type OrderPayment = {
  id: string
  amount: Amount
  currency_code: string
  provider_id: string
  payment_session_id: string | null
  data: Record<string, unknown> | null
  captures?: Array<{ amount: Amount } | null> | null
  refunds?: Array<{ amount: Amount } | null> | null
}
type OrderRecord = {
  id: string
  payment_collections?: Array<{
    payment_sessions?: Array<{ id: string } | null> | null
    payments?: Array<OrderPayment | null> | null
  } | null> | null
}

const total = (items: Array<{ amount: Amount } | null> | null | undefined) =>
  (items ?? []).reduce((sum, item) => (item ? sum + MathBN.convert(item.amount).toNumber() : sum), 0)

/**
 * What the order widget shows: the order's deliveries, newest first, and its payments, Medusa's amounts
 * (major units, as Medusa shows them) next to the PSP's; 404 for an order the store does not have.
 */
export async function orderWebhooksView(container: MedusaContainer, orderId: string): Promise<OrderPaymentWebhooks> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = (await query.graph({
    entity: "order",
    fields: [
      "id",
      ...ORDER_KEY_FIELDS,
      "payment_collections.payments.id",
      "payment_collections.payments.amount",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.payment_session_id",
      "payment_collections.payments.data",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.refunds.amount",
    ],
    filters: { id: orderId },
  })) as { data: OrderRecord[] }
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found`)
  }
  const collections = (order.payment_collections ?? []).filter((collection) => !!collection)
  const payments = collections.flatMap((collection) => (collection.payments ?? []).filter((payment): payment is OrderPayment => !!payment))
  // The same match as the list's `order_id` filter: the order's sessions, or its payments' PSP ids.
  const filter = orderDeliveriesFilter(orderPaymentKeysOf(order))
  const events = filter
    ? await resolveInbox(container).listPaymentWebhookEvents(filter, {
        select: [...PAYMENT_WEBHOOK_FIELDS],
        take: ORDER_ROWS,
        order: { received_at: "DESC", id: "DESC" },
      })
    : []
  // The PSPs are asked side by side (within the process's cap on such reads, and a recent answer is
  // reused): the widget waits for the slowest, not for their sum.
  const views = await Promise.all(
    payments.map(async (payment): Promise<OrderPaymentComparison> => ({
      payment_id: payment.id,
      session_id: payment.payment_session_id,
      provider_id: payment.provider_id,
      currency_code: payment.currency_code,
      medusa: { amount: MathBN.convert(payment.amount).toNumber(), captured: total(payment.captures), refunded: total(payment.refunds) },
      ...(await pspViewOf(container, payment)),
    })),
  )
  return { order_id: order.id, payment_webhooks: await toPaymentWebhookRows(container, events), payments: views }
}
