import type { OrderPaymentView, PaymentAmounts } from "./types"

/** Medusa's status of a payment, from its amounts: authorized, captured, partially or fully refunded. */
export function medusaPaymentStatus(amounts: PaymentAmounts): string {
  const amount = Number(amounts.amount ?? 0)
  const captured = Number(amounts.captured ?? 0)
  const refunded = Number(amounts.refunded ?? 0)
  if (refunded > 0) {
    return refunded >= captured && captured > 0 ? "refunded" : "partially refunded"
  }
  if (captured > 0) {
    return captured >= amount ? "captured" : "partially captured"
  }
  return "authorized"
}

/** The amounts on which Medusa and the PSP disagree (empty when they agree, or when the PSP could not be asked). */
export function paymentDifferences(payment: OrderPaymentView): string[] {
  const psp = payment.psp
  if (!psp) {
    return []
  }
  const differs = (a: PaymentAmounts[keyof PaymentAmounts], b: PaymentAmounts[keyof PaymentAmounts]) => Number(a ?? 0) !== Number(b ?? 0)
  const fields: (keyof PaymentAmounts)[] = ["amount", "captured", "refunded"]
  return fields.filter((field) => differs(payment.medusa[field], psp[field]))
}
