import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaRefund, PaymentContext, PaymentState } from "../effects/payment-context"

function sum(rows: Array<{ amount?: unknown } | null> | null | undefined): number {
  return (rows ?? []).reduce((total, row) => total + Number(row?.amount ?? 0), 0)
}

type RefundRow = { id?: string; amount?: unknown; note?: string | null; created_at?: string | Date } | null

const SESSION_FIELDS = [
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
  "payment.captures.amount",
]
const REFUND_FIELDS = ["payment.refunds.id", "payment.refunds.amount", "payment.refunds.note", "payment.refunds.created_at"]

/** The session, its payment and the payment's captures (and refunds when asked); undefined when the session is not in this store. */
async function readSession(container: MedusaContainer, sessionId: string, withRefunds: boolean) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [session],
  } = await query.graph({
    entity: "payment_session",
    fields: withRefunds ? [...SESSION_FIELDS, ...REFUND_FIELDS] : SESSION_FIELDS,
    filters: { id: sessionId },
  })
  return session
}

/**
 * The order and the cart a payment collection belongs to. The cart is read only when there is no order
 * (or when asked): an order settles whether the collection's cart was completed, and only then is it needed.
 */
async function readLinks(
  container: MedusaContainer,
  collectionId: string,
  options: { cartEvenIfOrdered: boolean },
): Promise<{ cartId?: string; orderId?: string }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [orderLink],
  } = await query.graph({ entity: "order_payment_collection", fields: ["order_id"], filters: { payment_collection_id: collectionId } })
  const orderId: string | undefined = orderLink?.order_id ?? undefined
  if (orderId && !options.cartEvenIfOrdered) {
    return { orderId }
  }
  const {
    data: [cartLink],
  } = await query.graph({ entity: "cart_payment_collection", fields: ["cart_id"], filters: { payment_collection_id: collectionId } })
  return { cartId: cartLink?.cart_id ?? undefined, orderId }
}

/** The graph's payment row (one of `SESSION_FIELDS`), as the processor judges it. */
function paymentOf(payment: {
  id: string
  provider_id: string
  currency_code: string
  data?: Record<string, unknown> | null
  amount: unknown
  captures?: Array<{ amount?: unknown } | null> | null
  canceled_at?: string | Date | null
}): NonNullable<PaymentState["payment"]> {
  return {
    id: payment.id,
    provider_id: payment.provider_id,
    currency_code: payment.currency_code,
    data: payment.data ?? {},
    amount: Number(payment.amount),
    captured: sum(payment.captures),
    canceled_at: payment.canceled_at ? new Date(payment.canceled_at) : null,
  }
}

/**
 * What a payment event (an authorization, a capture) is judged and carried out against, read in as
 * few statements as the answer needs: the session with its payment and captures; its order and cart
 * only once there is a payment (before that nothing can be done already, whatever they are), and the
 * cart only when there is no order. Undefined when the session is not in this store.
 */
export async function readPaymentState(container: MedusaContainer, sessionId: string): Promise<PaymentState | undefined> {
  const session = await readSession(container, sessionId, false)
  if (!session) {
    return undefined
  }
  const payment = session.payment
  const links = payment ? await readLinks(container, session.payment_collection_id, { cartEvenIfOrdered: false }) : {}
  return {
    session: sessionOf(session),
    payment: payment ? paymentOf(payment) : undefined,
    ...links,
  }
}

/** Reads a session and everything hanging from it, for the effects to act on (refunds, disputes…); undefined when the session is not in this store. */
export async function readPaymentContext(container: MedusaContainer, sessionId: string): Promise<PaymentContext | undefined> {
  const session = await readSession(container, sessionId, true)
  if (!session) {
    return undefined
  }
  const payment = session.payment
  const links = await readLinks(container, session.payment_collection_id, { cartEvenIfOrdered: true })
  return {
    session: sessionOf(session),
    payment: payment
      ? {
          ...paymentOf(payment),
          refunded: sum(payment.refunds),
          refunds: (payment.refunds ?? []).flatMap((refund: RefundRow): MedusaRefund[] =>
            refund?.id
              ? [{ id: refund.id, amount: Number(refund.amount), note: refund.note ?? null, created_at: new Date(refund.created_at ?? 0) }]
              : [],
          ),
        }
      : undefined,
    ...links,
  }
}

function sessionOf(session: {
  id: string
  status: string
  amount: unknown
  currency_code: string
  provider_id: string
  data?: Record<string, unknown> | null
}): PaymentState["session"] {
  return {
    id: session.id,
    status: session.status,
    amount: Number(session.amount),
    currency_code: session.currency_code,
    provider_id: session.provider_id,
    data: session.data ?? {},
  }
}
