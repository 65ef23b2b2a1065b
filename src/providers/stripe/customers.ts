import type Stripe from "stripe"
import type { PaymentCustomerDTO } from "@medusajs/framework/types"

/** Customer fields sent to Stripe for a Medusa customer (name, email, phone, billing address). */
export function customerParams(customer: PaymentCustomerDTO): Stripe.CustomerCreateParams {
  const name = customer.company_name || `${customer.first_name ?? ""} ${customer.last_name ?? ""}`.trim() || undefined
  const billing = customer.billing_address
  return {
    email: customer.email,
    name,
    phone: customer.phone ?? undefined,
    address: billing
      ? {
          city: billing.city ?? undefined,
          country: billing.country_code ?? undefined,
          line1: billing.address_1 ?? undefined,
          line2: billing.address_2 ?? undefined,
          postal_code: billing.postal_code ?? undefined,
          state: billing.province ?? undefined,
        }
      : undefined,
  }
}

/** The Stripe customer id stored on a Medusa account holder, if any. */
export function accountHolderId(context: { account_holder?: { data?: Record<string, unknown> } } | undefined): string | undefined {
  const id = context?.account_holder?.data?.id
  return typeof id === "string" && id ? id : undefined
}

/** A saved payment method as the storefront may show it: brand, last four digits and expiry only. */
export function publicPaymentMethod(method: Stripe.PaymentMethod): Record<string, unknown> {
  const card = method.card
  return {
    id: method.id,
    type: method.type,
    card: card ? { brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year } : null,
  }
}
