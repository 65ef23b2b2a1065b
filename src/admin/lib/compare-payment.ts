import type { OrderPaymentComparison, PaymentAmounts } from "../../types/admin-api"

/** Medusa's status of a payment, from its amounts: authorized, captured, partially or fully refunded. */
export function medusaPaymentStatus({ amount, captured, refunded }: PaymentAmounts): string {
  if (refunded > 0) {
    return refunded >= captured && captured > 0 ? "refunded" : "partially refunded"
  }
  if (captured > 0) {
    return captured >= amount ? "captured" : "partially captured"
  }
  return "authorized"
}

/** The amounts on which Medusa and the PSP disagree (empty when they agree, or when the PSP could not be asked). */
export function paymentDifferences(payment: OrderPaymentComparison): string[] {
  const psp = payment.psp
  if (!psp) {
    return []
  }
  const fields: (keyof PaymentAmounts)[] = ["amount", "captured", "refunded"]
  return fields.filter((field) => payment.medusa[field] !== psp[field])
}
