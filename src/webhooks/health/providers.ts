import type { MedusaContainer } from "@medusajs/framework/types"
import { webhookSources } from "../edge/webhook-sources"
import type { ProviderHealth } from "./judge"

/**
 * How many webhook secrets a provider of this package accepts, or null when it does not say. Both
 * provider classes keep their validated options as `options_`, whose `webhookSecret` is one secret
 * or a list; only the count leaves this function, never a secret.
 */
export function webhookSecretCount(provider: object): number | null {
  const options: unknown = Reflect.get(provider, "options_")
  if (typeof options !== "object" || options === null || !("webhookSecret" in options)) {
    return null
  }
  const secret = options.webhookSecret
  const secrets: unknown[] = Array.isArray(secret) ? secret : [secret]
  return secrets.filter((candidate) => typeof candidate === "string" && candidate.trim() !== "").length
}

/** This package's providers registered in this process's payment module, with their webhook path and whether each has a secret. */
export async function providerHealth(container: MedusaContainer): Promise<ProviderHealth[]> {
  const sources = await webhookSources(container)
  return [...sources.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, source]) => {
      const count = webhookSecretCount(source)
      return { key, webhook_path: `/hooks/payment/${key}`, webhook_secret_configured: count === null ? null : count > 0, webhook_secrets: count }
    })
}
