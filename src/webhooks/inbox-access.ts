import type { ConfigModule, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../modules/payment-webhooks/service"
import { handledProviders, type ProviderEntry } from "./handled-providers"

/** The inbox and the providers it handles, resolved once per container. */
export type InboxContext = { inbox: PaymentWebhooksModuleService; providers: Map<string, ProviderEntry> }

const cache = new WeakMap<object, InboxContext | null>()

/** The inbox of this container, or null when the plugin's module is not registered. */
export function inboxContext(container: MedusaContainer): InboxContext | null {
  const cached = cache.get(container)
  if (cached !== undefined) {
    return cached
  }
  let context: InboxContext | null = null
  if (container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const configModule = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
    const providers = handledProviders(configModule, inbox.inboxOptions.providers)
    context = { inbox, providers: new Map(providers.map((provider) => [provider.key, provider])) }
  }
  cache.set(container, context)
  return context
}
