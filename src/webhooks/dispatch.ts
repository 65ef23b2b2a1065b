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
 * Who carries out a verified event: Medusa's built-in route and `processPaymentWorkflow` (`core`),
 * this plugin (`plugin`: failures, cancellations, refunds, disputes), or nobody (`ignore`, with why).
 */
export type Route = { to: "core" } | { to: "plugin" } | { to: "ignore"; reason: string }

/** Routes a mapped event. */
export function routeOf(mapped: MappedWebhookEvent): Route {
  if (mapped.effect && mapped.data?.session_id) {
    return { to: "plugin" }
  }
  if (mapped.action === PaymentActions.NOT_SUPPORTED) {
    return { to: "ignore", reason: mapped.reason ?? "not supported by the provider" }
  }
  if (!mapped.data?.session_id) {
    return { to: "ignore", reason: `${mapped.action} event without a payment session` }
  }
  if (!CORE_ACTIONS.has(mapped.action)) {
    return { to: "ignore", reason: `${mapped.action}: nothing for Medusa to do yet` }
  }
  return { to: "core" }
}
