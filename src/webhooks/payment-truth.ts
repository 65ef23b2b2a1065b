import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PaymentActions } from "@medusajs/framework/utils"

/** What the database says about a payment session, its payment and its cart. */
export type PaymentTruth = {
  sessionExists: boolean
  sessionStatus?: string
  sessionAmount?: number
  sessionCurrency?: string
  paymentId?: string
  captured: boolean
  cartId?: string
  orderId?: string
}

/** Reads a session, its payment, its cart and the cart's order, through Medusa's query graph. */
export async function readPaymentTruth(container: MedusaContainer, sessionId: string): Promise<PaymentTruth> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [session] } = await query.graph({
    entity: "payment_session",
    fields: ["id", "status", "amount", "currency_code", "payment_collection_id", "payment.id", "payment.captured_at"],
    filters: { id: sessionId },
  })
  if (!session) {
    return { sessionExists: false, captured: false }
  }
  const { data: [cartLink] } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: session.payment_collection_id },
  })
  const cartId: string | undefined = cartLink?.cart_id
  let orderId: string | undefined
  if (cartId) {
    const { data: [orderLink] } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
    orderId = orderLink?.order_id
  }
  return {
    sessionExists: true,
    sessionStatus: session.status,
    sessionAmount: session.amount === null || session.amount === undefined ? undefined : Number(session.amount),
    sessionCurrency: session.currency_code,
    paymentId: session.payment?.id,
    captured: !!session.payment?.captured_at,
    cartId,
    orderId,
  }
}

/**
 * Whether Medusa already holds everything `action` demands: the session authorized (or the payment
 * captured) and, when the session belongs to a cart, the cart completed into an order.
 */
export function isSettled(action: string, truth: PaymentTruth): boolean {
  const orderDone = !truth.cartId || !!truth.orderId
  if (action === PaymentActions.SUCCESSFUL) {
    return truth.captured && orderDone
  }
  if (action === PaymentActions.AUTHORIZED) {
    const authorized = truth.sessionStatus === "authorized" || truth.sessionStatus === "captured" || !!truth.paymentId
    return authorized && orderDone
  }
  return false
}
