import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"

/** The inbox module, or a clear error when the plugin's module is not registered in this store. */
export function resolveInbox(container: MedusaContainer): PaymentWebhooksModuleService {
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The payment webhook inbox is not enabled: add the medusa-payment-webhooks plugin")
  }
  return container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
}

/**
 * The inbox's `provider_id` filter for a provider: a route key exactly, or every key of an identifier
 * (`stripe` → `stripe_*`). The list and the bulk replay both use it, so they always pick the same rows.
 */
export function providerFilter(provider: string): string | { $like: string } {
  const key = provider.replace(/^pp_/, "")
  // `_` is a LIKE wildcard: escaped, so `stripe` never matches a provider named `stripeX_…`.
  return key.includes("_") ? key : { $like: `${key}\\_%` }
}
