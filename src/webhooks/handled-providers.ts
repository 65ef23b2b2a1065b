import type { ConfigModule } from "@medusajs/framework/types"

/** Provider identifiers this package ships. */
export const PLUGIN_IDENTIFIERS = ["stripe", "yoco"] as const

/** One payment provider entry of a store's config. */
export type ProviderEntry = { key: string; identifier: string; options: Record<string, unknown> }

const PACKAGE_PROVIDER = /(^|[\\/])medusa-payment-webhooks[\\/]providers[\\/](stripe|yoco)([\\/]index(\.js)?)?$/

type RawProviderEntry = { resolve?: unknown; id?: unknown; options?: unknown }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null
}

/** The identifier of an entry that registers one of this package's providers, if it does. */
function pluginIdentifierOf(entry: RawProviderEntry): string | undefined {
  if (typeof entry.resolve === "string") {
    return PACKAGE_PROVIDER.exec(entry.resolve)?.[2]
  }
  // `resolve` may also be the imported module itself: its services carry a marker.
  const services = isRecord(entry.resolve) && Array.isArray(entry.resolve.services) ? entry.resolve.services : []
  for (const service of services) {
    if (typeof service === "function" && "webhookInbox" in service && service.webhookInbox === true && "identifier" in service) {
      return String(service.identifier)
    }
  }
  return undefined
}

/** Every payment provider entry in the store's config, with its route key `<identifier>_<id>` when known. */
export function paymentProviderEntries(configModule: ConfigModule): Array<RawProviderEntry & { identifier?: string; key?: string }> {
  const modules = isRecord(configModule.modules) ? Object.values(configModule.modules) : []
  const entries: Array<RawProviderEntry & { identifier?: string; key?: string }> = []
  for (const declaration of modules) {
    const providers = isRecord(declaration) && isRecord(declaration.options) ? declaration.options.providers : undefined
    if (!Array.isArray(providers)) {
      continue
    }
    for (const provider of providers) {
      if (!isRecord(provider)) {
        continue
      }
      const identifier = pluginIdentifierOf(provider)
      const id = typeof provider.id === "string" ? provider.id : undefined
      entries.push({ ...provider, identifier, key: identifier && id ? `${identifier}_${id}` : undefined })
    }
  }
  return entries
}

/**
 * Route keys (`stripe_stripe`, `yoco_yoco`…) whose deliveries the inbox handles: the explicit
 * `providers` option, else every provider of this package found in the config. Others pass untouched.
 */
export function handledProviders(configModule: ConfigModule, explicit: readonly string[] | undefined): ProviderEntry[] {
  const entries = paymentProviderEntries(configModule)
  if (explicit) {
    // Keys without a matching provider entry (e.g. Yoco listed, but not configured here) are left out.
    return explicit.flatMap((key) => {
      const identifier = key.slice(0, key.indexOf("_"))
      const id = key.slice(key.indexOf("_") + 1)
      const entry = entries.find((candidate) => candidate.id === id && (candidate.identifier ?? identifier) === identifier)
      return entry ? [{ key, identifier, options: isRecord(entry.options) ? entry.options : {} }] : []
    })
  }
  return entries.flatMap((entry) =>
    entry.key && entry.identifier
      ? [{ key: entry.key, identifier: entry.identifier, options: isRecord(entry.options) ? entry.options : {} }]
      : []
  )
}
