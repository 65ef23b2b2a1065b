import type Stripe from "stripe"
import type { PaymentSessionStatus } from "@medusajs/framework/types"

/**
 * Medusa session status for a PaymentIntent status. Pure.
 * A `requires_payment_method` intent that carries a decline is `error`, so the storefront can offer another attempt.
 * An intent captured for less than its amount (a partial capture in the dashboard) is `authorized`:
 * Medusa would otherwise book a capture of the whole session; the `succeeded` event books the part.
 */
export function sessionStatusOf(
  intent: Pick<Stripe.PaymentIntent, "status" | "last_payment_error" | "amount" | "amount_received">,
): PaymentSessionStatus {
  switch (intent.status) {
    case "requires_capture":
      return "authorized"
    case "succeeded":
      return intent.amount_received < intent.amount ? "authorized" : "captured"
    case "processing":
    case "requires_confirmation":
      return "pending"
    case "requires_action":
      return "requires_more"
    case "requires_payment_method":
      return intent.last_payment_error ? "error" : "requires_more"
    case "canceled":
      return "canceled"
    default:
      return "pending"
  }
}
