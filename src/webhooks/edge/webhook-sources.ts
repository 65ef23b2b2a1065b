import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { WebhookSource } from "../../lib/webhook-result"

/** This package's providers as the payment module registered them, by route key (`stripe_stripe`, `yoco_yoco`…). */
export type WebhookSources = ReadonlyMap<string, WebhookSource>

const found = new WeakMap<object, Promise<WebhookSources>>()

/** True for an instance of one of this package's provider classes (they carry `static webhookInbox = true`). */
function isPackageProvider(instance: unknown): boolean {
  if (typeof instance !== "object" || instance === null) {
    return false
  }
  const type: unknown = instance.constructor
  return typeof type === "function" && "webhookInbox" in type && type.webhookInbox === true
}

/** The calls of {@link WebhookSource} the edge and the processor make. */
const PORT_CALLS = [
  "verifyWebhook",
  "interpretWebhook",
  "readSessionTruth",
  "readPaymentView",
  "sessionPspReference",
  "bookedRefunds",
  "withRefundStatus",
  "externalRefundNote",
  "externalRefundOfNote",
  "canRecordExternalRefunds",
  "minorUnits",
  "webhookSecretCount",
] as const

/** True for an object with every call of {@link WebhookSource} (a provider built against an older port has not). */
export function isWebhookSource(instance: unknown): instance is WebhookSource {
  return typeof instance === "object" && instance !== null && PORT_CALLS.every((call) => typeof Reflect.get(instance, call) === "function")
}

/**
 * The payment module's own container, where it registered each provider as `pp_<identifier>_<id>`.
 * Medusa has no public call that hands out a provider instance; its module services keep their
 * container as `__container__`, which is how the module itself reaches its providers.
 */
function providerRegistry(paymentModule: object): object {
  const registry: unknown = Reflect.get(paymentModule, "__container__")
  if (typeof registry !== "object" || registry === null) {
    throw new Error("The payment module does not expose its providers; medusa-payment-webhooks cannot find its own")
  }
  return registry
}

/** Resolves one registered provider; undefined for one the database lists but this process did not register. */
function resolveProvider(registry: object, registration: string): unknown {
  try {
    return Reflect.get(registry, registration)
  } catch {
    return undefined
  }
}

async function discover(paymentModule: IPaymentModuleService): Promise<WebhookSources> {
  const registry = providerRegistry(paymentModule)
  const providers = await paymentModule.listPaymentProviders({ is_enabled: true }, { select: ["id"] })
  const sources = new Map<string, WebhookSource>()
  for (const { id } of providers) {
    const instance = resolveProvider(registry, id)
    if (!isPackageProvider(instance)) {
      continue
    }
    if (!isWebhookSource(instance)) {
      throw new Error(
        `Payment provider ${id} comes from medusa-payment-webhooks, but its webhook edge cannot verify or process its deliveries`,
      )
    }
    sources.set(id.replace(/^pp_/, ""), instance)
  }
  return sources
}

/**
 * This package's providers, found among the payment module's registered providers: the very
 * instances Medusa calls, with the store's options. Worked out once per payment module (so once per
 * process); a failure (the database not ready) is not kept, and the next call tries again.
 */
export function webhookSources(container: MedusaContainer): Promise<WebhookSources> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  let sources = found.get(paymentModule)
  if (!sources) {
    sources = discover(paymentModule)
    found.set(paymentModule, sources)
    sources.then(
      (ready) => discovered.set(paymentModule, ready),
      () => found.delete(paymentModule),
    )
  }
  return sources
}

const discovered = new WeakMap<object, WebhookSources>()

/**
 * The same as {@link webhookSources}, without waiting once they are known: the edge answers every
 * delivery after the first without an extra turn of the event loop.
 */
export function knownWebhookSources(container: MedusaContainer): WebhookSources | undefined {
  return discovered.get(container.resolve<IPaymentModuleService>(Modules.PAYMENT))
}
