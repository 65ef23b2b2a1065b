import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** A payment session with its payment, cart and order, as the effects need them. */
export type PaymentContext = {
  session: { id: string; status: string; amount: number; currency_code: string; provider_id: string; data: Record<string, unknown> }
  payment?: {
    id: string
    provider_id: string
    currency_code: string
    data: Record<string, unknown>
    refunded: number
    captured: number
    /** Medusa's own refund ids on the payment. */
    refund_ids: string[]
  }
  cartId?: string
  orderId?: string
}

function sum(rows: Array<{ amount?: unknown } | null> | null | undefined): number {
  return (rows ?? []).reduce((total, row) => total + Number(row?.amount ?? 0), 0)
}

/** Reads a session and everything hanging from it; undefined when the session is not in this store. */
export async function readPaymentContext(container: MedusaContainer, sessionId: string): Promise<PaymentContext | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [session] } = await query.graph({
    entity: "payment_session",
    fields: [
      "id", "status", "amount", "currency_code", "provider_id", "data", "payment_collection_id",
      "payment.id", "payment.provider_id", "payment.currency_code", "payment.data", "payment.refunds.id", "payment.refunds.amount", "payment.captures.amount",
    ],
    filters: { id: sessionId },
  })
  if (!session) {
    return undefined
  }
  const { data: [cartLink] } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: session.payment_collection_id },
  })
  const { data: [orderLink] } = await query.graph({
    entity: "order_payment_collection",
    fields: ["order_id"],
    filters: { payment_collection_id: session.payment_collection_id },
  })
  const payment = session.payment
  return {
    session: {
      id: session.id,
      status: session.status,
      amount: Number(session.amount),
      currency_code: session.currency_code,
      provider_id: session.provider_id,
      data: session.data ?? {},
    },
    payment: payment
      ? {
          id: payment.id,
          provider_id: payment.provider_id,
          currency_code: payment.currency_code,
          data: payment.data ?? {},
          refunded: sum(payment.refunds),
          refund_ids: (payment.refunds ?? []).flatMap((refund: { id?: string } | null) => (refund?.id ? [refund.id] : [])),
          captured: sum(payment.captures),
        }
      : undefined,
    cartId: cartLink?.cart_id ?? undefined,
    orderId: orderLink?.order_id ?? undefined,
  }
}
