import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { PaymentContext } from "../effects/payment-context"

function sum(rows: Array<{ amount?: unknown } | null> | null | undefined): number {
  return (rows ?? []).reduce((total, row) => total + Number(row?.amount ?? 0), 0)
}

/** Reads a session and everything hanging from it, for the processor to guard and the effects to act on; undefined when the session is not in this store. */
export async function readPaymentContext(container: MedusaContainer, sessionId: string): Promise<PaymentContext | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [session],
  } = await query.graph({
    entity: "payment_session",
    fields: [
      "id",
      "status",
      "amount",
      "currency_code",
      "provider_id",
      "data",
      "payment_collection_id",
      "payment.id",
      "payment.provider_id",
      "payment.currency_code",
      "payment.data",
      "payment.amount",
      "payment.canceled_at",
      "payment.refunds.id",
      "payment.refunds.amount",
      "payment.refunds.note",
      "payment.refunds.created_at",
      "payment.captures.amount",
    ],
    filters: { id: sessionId },
  })
  if (!session) {
    return undefined
  }
  const {
    data: [cartLink],
  } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: session.payment_collection_id },
  })
  const {
    data: [orderLink],
  } = await query.graph({
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
          amount: Number(payment.amount),
          refunded: sum(payment.refunds),
          captured: sum(payment.captures),
          canceled_at: payment.canceled_at ? new Date(payment.canceled_at) : null,
          refunds: (payment.refunds ?? []).flatMap(
            (refund: { id?: string; amount?: unknown; note?: string | null; created_at?: string | Date } | null) =>
              refund?.id
                ? [
                    {
                      id: refund.id,
                      amount: Number(refund.amount),
                      note: refund.note ?? null,
                      created_at: new Date(refund.created_at ?? 0),
                    },
                  ]
                : [],
          ),
        }
      : undefined,
    cartId: cartLink?.cart_id ?? undefined,
    orderId: orderLink?.order_id ?? undefined,
  }
}
