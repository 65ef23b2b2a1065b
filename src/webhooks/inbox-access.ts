import type { ConfigModule, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../modules/payment-webhooks/service"
import { handledProviders, type ProviderEntry } from "./handled-providers"

/** The inbox and the providers it handles, worked out once per inbox service (so once per app). */
export type InboxContext = { inbox: PaymentWebhooksModuleService; providers: Map<string, ProviderEntry> }

// Keyed on the inbox service, not the container: Medusa gives every request a new scope
// (`req.scope`), so a cache keyed on the container would miss on every webhook.
const cache = new WeakMap<PaymentWebhooksModuleService, InboxContext>()

/** The inbox of this container, or null when the plugin's module is not registered. */
export function inboxContext(container: MedusaContainer): InboxContext | null {
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return null
  }
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  let context = cache.get(inbox)
  if (!context) {
    const configModule = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
    const providers = handledProviders(configModule, inbox.inboxOptions.providers)
    context = { inbox, providers: new Map(providers.map((provider) => [provider.key, provider])) }
    cache.set(inbox, context)
  }
  return context
}
