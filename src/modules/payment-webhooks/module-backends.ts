import type { ConfigModule } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { isRecord } from "../../lib/records"
import type { ModuleBackendKind, PaymentWebhooksHealth } from "../../types/admin-api"

/** Where a module keeps its state: shared by every process (`redis`, `postgres`), or inside one process (`in-memory`). */
export type ModuleBackend = ModuleBackendKind

/** The backends of the modules a split deployment (servers and a worker) needs shared, and this process's worker mode. */
export type ModuleBackends = PaymentWebhooksHealth["modules"]

type ModuleEntry = NonNullable<ConfigModule["modules"]>[string] | undefined

/** Names the backend of a package path, e.g. `@medusajs/medusa/event-bus-redis` → `redis`. */
function backendOf(resolve: unknown): ModuleBackend {
  if (typeof resolve !== "string") {
    return "other"
  }
  if (/redis/i.test(resolve)) {
    return "redis"
  }
  if (/postgres/i.test(resolve)) {
    return "postgres"
  }
  return /inmemory|in-memory|local/i.test(resolve) ? "in-memory" : "other"
}

/** True when the entry registers no module: absent, `false`, or `{ disable: true }` (defineConfig's own shape). */
function isOff(entry: ModuleEntry): boolean {
  return !isRecord(entry) || Reflect.get(entry, "disable") === true
}

function moduleBackend(entry: ModuleEntry): ModuleBackend {
  if (isOff(entry) || !isRecord(entry)) {
    return "not registered"
  }
  return backendOf("resolve" in entry ? entry.resolve : undefined)
}

/**
 * Locking is one module whose backend is its default provider: the one marked `is_default`, or the
 * only one; with none, the module's own in-memory provider.
 */
function lockingBackend(entry: ModuleEntry): ModuleBackend {
  if (isOff(entry) || !isRecord(entry)) {
    return "not registered"
  }
  const options = isRecord(entry.options) ? entry.options : {}
  const providers = (Array.isArray(options.providers) ? options.providers : []).filter(isRecord)
  const chosen = providers.find((provider) => provider.is_default === true) ?? (providers.length === 1 ? providers[0] : undefined)
  return chosen ? backendOf(chosen.resolve) : "in-memory"
}

/**
 * The backends read from the store's resolved config (`configModule.modules`), not from the module
 * instances: the config is Medusa's public, typed contract, normalised by `defineConfig` with its
 * defaults for all four modules, and it is what the loader registered. The instances say less: the
 * in-memory and Redis workflow engines share one class name (`WorkflowsModuleService`), and the
 * locking module's backend is a provider its service keeps in private fields.
 */
export function moduleBackends(config: Pick<ConfigModule, "modules" | "projectConfig">): ModuleBackends {
  const modules = config.modules ?? {}
  return {
    event_bus: moduleBackend(modules[Modules.EVENT_BUS]),
    workflow_engine: moduleBackend(modules[Modules.WORKFLOW_ENGINE]),
    cache: moduleBackend(modules[Modules.CACHE]),
    locking: lockingBackend(modules[Modules.LOCKING]),
    worker_mode: config.projectConfig?.workerMode ?? process.env.MEDUSA_WORKER_MODE ?? "shared",
  }
}
