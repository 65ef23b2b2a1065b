import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { resolveInbox } from "./inbox"
import { pspViewOf, type PspViewResult } from "./psp-view"
import { PAYMENT_WEBHOOK_FIELDS, toAdminPaymentWebhooks, type AdminPaymentWebhook } from "./rows"

/** How many of an order's deliveries the widget shows. */
const ORDER_ROWS = 50

/** One of the order's payments: Medusa's amounts next to the PSP's (major units, as Medusa shows them). */
export type OrderPaymentView = {
  payment_id: string
  session_id: string | null
  provider_id: string
  currency_code: string
  medusa: { amount: number; captured: number; refunded: number }
} & PspViewResult

/** What the order widget shows: the order's deliveries, newest first, and its payments on both sides. */
export type OrderWebhooksView = { order_id: string; payment_webhooks: AdminPaymentWebhook[]; payments: OrderPaymentView[] }

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
type OrderRecord = { id: string; payment_collections?: Array<{ payment_sessions?: Array<{ id: string } | null> | null; payments?: Array<OrderPayment | null> | null } | null> | null }

const total = (items: Array<{ amount: Amount } | null> | null | undefined) =>
  (items ?? []).reduce((sum, item) => (item ? sum + MathBN.convert(item.amount).toNumber() : sum), 0)

/** The PSP's id of a payment as its provider data holds it (Stripe's intent `pi_…`, Yoco's checkout `ch_…`). */
function pspReferenceOf(data: Record<string, unknown> | null): string | undefined {
  const id = data?.checkout_id ?? data?.id
  return typeof id === "string" && id ? id : undefined
}

/** The order's payments and deliveries; 404 for an order the store does not have. */
export async function orderWebhooksView(container: MedusaContainer, orderId: string): Promise<OrderWebhooksView> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [order] } = await query.graph({
    entity: "order",
    fields: [
      "id", "payment_collections.payment_sessions.id",
      "payment_collections.payments.id", "payment_collections.payments.amount", "payment_collections.payments.currency_code",
      "payment_collections.payments.provider_id", "payment_collections.payments.payment_session_id", "payment_collections.payments.data",
      "payment_collections.payments.captures.amount", "payment_collections.payments.refunds.amount",
    ],
    filters: { id: orderId },
  }) as { data: OrderRecord[] }
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found`)
  }
  const collections = (order.payment_collections ?? []).filter((collection) => !!collection)
  const payments = collections.flatMap((collection) => (collection.payments ?? []).filter((payment): payment is OrderPayment => !!payment))
  const sessionIds = collections.flatMap((collection) => (collection.payment_sessions ?? []).flatMap((session) => (session ? [session.id] : [])))
  const references = payments.flatMap((payment) => pspReferenceOf(payment.data) ?? [])
  const or = [
    ...(sessionIds.length ? [{ session_id: sessionIds }] : []),
    ...(references.length ? [{ psp_reference: references }] : []),
  ]
  const events = or.length
    ? await resolveInbox(container).listPaymentWebhookEvents({ $or: or }, {
      select: [...PAYMENT_WEBHOOK_FIELDS], take: ORDER_ROWS, order: { received_at: "DESC", id: "DESC" },
    })
    : []
  // The PSPs are asked side by side: the widget waits for the slowest, not for their sum.
  const views = await Promise.all(payments.map(async (payment): Promise<OrderPaymentView> => ({
    payment_id: payment.id,
    session_id: payment.payment_session_id,
    provider_id: payment.provider_id,
    currency_code: payment.currency_code,
    medusa: { amount: MathBN.convert(payment.amount).toNumber(), captured: total(payment.captures), refunded: total(payment.refunds) },
    ...(await pspViewOf(container, payment.provider_id, payment.data)),
  })))
  return { order_id: order.id, payment_webhooks: await toAdminPaymentWebhooks(container, events), payments: views }
}
