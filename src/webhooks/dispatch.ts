import { PaymentActions } from "@medusajs/framework/utils"
import type { PaymentActions as PaymentAction } from "@medusajs/framework/types"
import type { MappedWebhookEvent } from "../lib/webhook-result"

const ALL_ACTIONS = new Set<string>(Object.values(PaymentActions))

/** Narrows a recorded action back to Medusa's action type. */
export function isPaymentAction(value: string | null): value is PaymentAction {
  return value !== null && ALL_ACTIONS.has(value)
}

/** Actions Medusa's own subscriber acts on (through `processPaymentWorkflow`). */
const CORE_ACTIONS = new Set<string>([PaymentActions.AUTHORIZED, PaymentActions.SUCCESSFUL])

/**
 * Whether a mapped event goes on to Medusa's built-in route and `processPaymentWorkflow`
 * (`null`), or is recorded as `ignored` with the reason returned.
 */
export function ignoreReason(mapped: MappedWebhookEvent): string | null {
  if (mapped.action === PaymentActions.NOT_SUPPORTED) {
    return mapped.reason ?? "not supported by the provider"
  }
  if (!mapped.data?.session_id) {
    return `${mapped.action} event without a payment session`
  }
  if (!CORE_ACTIONS.has(mapped.action)) {
    return `${mapped.action}: nothing for Medusa to do yet`
  }
  return null
}
