import type { Logger } from "@medusajs/framework/types"
import { StripeProviderService } from "../providers/stripe/service"
import { YocoProviderService } from "../providers/yoco/service"
import type { ProviderEntry } from "./handled-providers"

/** One of this package's providers, as the edge and reconciliation use it. */
export type PluginProvider = StripeProviderService | YocoProviderService

const instances = new Map<string, PluginProvider>()

/**
 * The provider of a config entry, built from that entry's own options: the same class and options
 * as the one the payment module registered. The edge verifies with it directly (the module's call
 * wrappers cost more than the verification itself) and reconciliation asks it for a session's
 * status (the payment module does not expose that call).
 */
export function providerInstance(entry: ProviderEntry, logger: Logger): PluginProvider | undefined {
  const cached = instances.get(entry.key)
  if (cached) {
    return cached
  }
  let provider: PluginProvider | undefined
  if (entry.identifier === StripeProviderService.identifier) {
    provider = new StripeProviderService({ logger }, entry.options)
  } else if (entry.identifier === YocoProviderService.identifier) {
    provider = new YocoProviderService({ logger }, entry.options)
  }
  if (provider) {
    instances.set(entry.key, provider)
  }
  return provider
}
