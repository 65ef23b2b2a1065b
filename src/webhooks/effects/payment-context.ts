/** A payment session with its payment, cart and order, as the effects need them. */
export type PaymentContext = {
  session: { id: string; status: string; amount: number; currency_code: string; provider_id: string; data: Record<string, unknown> }
  payment?: {
    id: string
    provider_id: string
    currency_code: string
    data: Record<string, unknown>
    /** What was authorized, in the major unit. */
    amount: number
    refunded: number
    captured: number
    /** Set once Medusa canceled the payment (the order was canceled). */
    canceled_at: Date | null
    /** Medusa's Refund rows on the payment. */
    refunds: MedusaRefund[]
  }
  cartId?: string
  orderId?: string
}

/**
 * What a payment event (an authorization, a capture) needs of the same: the session, its payment with
 * its captures (not its refunds), and its cart and order once there is a payment.
 */
export type PaymentState = {
  session: PaymentContext["session"]
  payment?: Omit<NonNullable<PaymentContext["payment"]>, "refunds" | "refunded">
  cartId?: string
  orderId?: string
}

/** A Refund row Medusa holds for a payment: created before the provider is called, deleted if that call throws. */
export type MedusaRefund = { id: string; amount: number; note: string | null; created_at: Date }
