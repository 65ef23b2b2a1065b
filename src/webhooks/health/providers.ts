import type { MedusaContainer } from "@medusajs/framework/types"
import { webhookSources } from "../edge/webhook-sources"
import type { ProviderHealth } from "./judge"

/** This package's providers registered in this process's payment module, with their webhook path and whether each has a secret. */
export async function providerHealth(container: MedusaContainer): Promise<ProviderHealth[]> {
  const sources = await webhookSources(container)
  return [...sources.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, source]) => {
      const count = source.webhookSecretCount()
      return { key, webhook_path: `/hooks/payment/${key}`, webhook_secret_configured: count > 0, webhook_secrets: count }
    })
}
