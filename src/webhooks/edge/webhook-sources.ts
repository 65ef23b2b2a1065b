import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import { onInboxStart } from "../../lib/start-hooks"
import type { WebhookSource } from "../../lib/webhook-result"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import type { ForeignProvider } from "./foreign-delivery"

/** This package's providers as the payment module registered them, by route key (`stripe_stripe`, `yoco_yoco`…). */
export type WebhookSources = ReadonlyMap<string, WebhookSource>

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

/** A provider the inbox serves, by its route key: one of this package's (the whole port), or another package's. */
export type InboxSource =
  { kind: "package"; key: string; source: WebhookSource } | { kind: "foreign"; key: string; provider: ForeignProvider }

/** Every provider the payment module registered, as the inbox sees them. */
export type Discovery = {
  /** This package's providers, by route key. */
  sources: WebhookSources
  /** Every provider whose deliveries the inbox takes, by route key: this package's and the others not excluded. */
  served: ReadonlyMap<string, InboxSource>
  /** Providers of other packages the store left to Medusa's own route (`exclude`), by route key. */
  excluded: readonly string[]
}

/** Medusa's own system provider takes no webhooks: never served. */
const NEVER_SERVED = new Set(["pp_system_default"])

/** True for a provider of another package that Medusa's route could call: it has the webhook entry point. */
function isForeignProvider(instance: unknown): instance is ForeignProvider {
  return typeof instance === "object" && instance !== null && typeof Reflect.get(instance, "getWebhookActionAndData") === "function"
}

/** The store's `exclude` option, as route keys (it may name a provider id `pp_…` or a key). */
function excludedKeys(container: MedusaContainer): Set<string> {
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return new Set()
  }
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  return new Set(inbox.inboxOptions.exclude.map((id) => id.replace(/^pp_/, "")))
}

async function discover(container: MedusaContainer, paymentModule: IPaymentModuleService): Promise<Discovery> {
  const registry = providerRegistry(paymentModule)
  const providers = await paymentModule.listPaymentProviders({ is_enabled: true }, { select: ["id"] })
  const exclude = excludedKeys(container)
  const sources = new Map<string, WebhookSource>()
  const served = new Map<string, InboxSource>()
  const excluded: string[] = []
  for (const { id } of [...providers].sort((a, b) => a.id.localeCompare(b.id))) {
    const key = id.replace(/^pp_/, "")
    const instance = resolveProvider(registry, id)
    if (isPackageProvider(instance)) {
      if (!isWebhookSource(instance)) {
        throw new Error(
          `Payment provider ${id} comes from medusa-payment-webhooks, but its webhook edge cannot verify or process its deliveries`,
        )
      }
      sources.set(key, instance)
      served.set(key, { kind: "package", key, source: instance })
    } else if (isForeignProvider(instance) && !NEVER_SERVED.has(id)) {
      if (exclude.has(key)) {
        excluded.push(key)
      } else {
        served.set(key, { kind: "foreign", key, provider: instance })
      }
    }
  }
  return { sources, served, excluded }
}

const found = new WeakMap<object, Promise<Discovery>>()
const discovered = new WeakMap<object, Discovery>()

/**
 * The payment module's registered providers as the inbox serves them: the very instances Medusa calls,
 * with the store's options. Worked out once per payment module (so once per process); a failure (the
 * database not ready) is not kept, and the next call tries again.
 */
export function discoverProviders(container: MedusaContainer): Promise<Discovery> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  let discovery = found.get(paymentModule)
  if (!discovery) {
    discovery = discover(container, paymentModule)
    found.set(paymentModule, discovery)
    discovery.then(
      (ready) => discovered.set(paymentModule, ready),
      () => found.delete(paymentModule),
    )
  }
  return discovery
}

/** This package's providers, by route key (`stripe_stripe`, `yoco_yoco`…): what reconciliation, health and the PSP views use. */
export async function webhookSources(container: MedusaContainer): Promise<WebhookSources> {
  return (await discoverProviders(container)).sources
}

/** Every provider whose deliveries the inbox takes, by route key: what the edge and the processor use. */
export async function inboxSources(container: MedusaContainer): Promise<ReadonlyMap<string, InboxSource>> {
  return (await discoverProviders(container)).served
}

/**
 * The same as {@link inboxSources}, without waiting once they are known: the edge answers every
 * delivery after the first without an extra turn of the event loop.
 */
export function knownInboxSources(container: MedusaContainer): ReadonlyMap<string, InboxSource> | undefined {
  return discovered.get(container.resolve<IPaymentModuleService>(Modules.PAYMENT))?.served
}

/** One line naming what the inbox serves, for the boot log. */
export function servedProvidersLine(discovery: Discovery): string {
  const ours = [...discovery.served.values()].filter((served) => served.kind === "package").map((served) => served.key)
  const others = [...discovery.served.values()].filter((served) => served.kind === "foreign").map((served) => served.key)
  return (
    `medusa-payment-webhooks: the inbox serves ${ours.length ? ours.join(", ") : "none of this package's providers"}` +
    `${others.length ? `, and ${others.join(", ")} from other packages (verified by their own providers; no money checks)` : ""}` +
    `${discovery.excluded.length ? `; left to Medusa's route (exclude): ${discovery.excluded.join(", ")}` : ""}`
  )
}

/**
 * Logs, once the store has started, one line naming the providers the inbox serves (and those left to
 * Medusa's route), from whichever file a process loads first: the edge on a server, the subscriber on a worker.
 */
export function announceServedProvidersAtStart(container: MedusaContainer): void {
  onInboxStart("served-providers", async () => {
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    try {
      logger.info(servedProvidersLine(await discoverProviders(container)))
    } catch (error) {
      logger.warn(`medusa-payment-webhooks: could not list the providers the inbox serves yet: ${errorMessage(error)}`)
    }
  })
}
