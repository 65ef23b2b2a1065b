import type { MedusaContainer } from "@medusajs/framework/types"
import { inboxSources } from "../edge/webhook-sources"
import type { ProviderHealth } from "./judge"

/**
 * The providers the inbox serves in this process, with their webhook path and whether each has a secret:
 * counted for this package's, unknown (null) for another package's, which keeps its options to itself.
 */
export async function providerHealth(container: MedusaContainer): Promise<ProviderHealth[]> {
  const served = await inboxSources(container)
  return [...served.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((provider) => {
      const count = provider.kind === "package" ? provider.source.webhookSecretCount() : null
      return {
        key: provider.key,
        webhook_path: `/hooks/payment/${provider.key}`,
        webhook_secret_configured: count === null ? null : count > 0,
        webhook_secrets: count,
      }
    })
}
