import type { ConfigModule, LoaderOptions } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { moduleBackends } from "../module-backends"

/**
 * Medusa's one-off commands (`medusa exec`, `user`, `db:*`) set `MEDUSA_WORKER_MODE=server` themselves
 * and serve no traffic: they are not a server of a split deployment, so they get no warning.
 */
export function isOneOffCommand(argv: readonly string[] = process.argv): boolean {
  const command = argv[2] ?? ""
  return command === "exec" || command === "user" || command.startsWith("db:") || command.startsWith("plugin:")
}

/** The modules a server and a worker must share that this config leaves in one process's memory. */
export function processLocalModules(config: Pick<ConfigModule, "modules" | "projectConfig">): string[] {
  const backends = moduleBackends(config)
  const shared = { "event bus": backends.event_bus, "workflow engine": backends.workflow_engine, locking: backends.locking }
  return Object.entries(shared)
    .filter(([, backend]) => backend === "in-memory")
    .map(([name]) => name)
}

/** The error line for a process of a split deployment on in-memory modules. */
export function splitTopologyWarning(mode: "server" | "worker", local: readonly string[]): string {
  return (
    `medusa-payment-webhooks: MEDUSA_WORKER_MODE=${mode} with Medusa's in-memory ${local.join(", ")}. ` +
    "Payment webhook deliveries recorded on a server will not reach the worker (the in-memory event bus stays inside one process), " +
    "and Medusa's cart lock and workflows hold only within one process. " +
    "On every server and worker register @medusajs/medusa/event-bus-redis, @medusajs/medusa/workflow-engine-redis " +
    "and @medusajs/medusa/locking with the @medusajs/medusa/locking-redis provider (see the README, Production)."
  )
}

/**
 * Module loader of the inbox: at boot of a `server` or `worker` process (a split deployment), says
 * loudly, once, when the event bus, workflow engine or locking is still Medusa's in-memory one.
 * It reads the store's config, not the modules: those may not be loaded yet when this runs.
 */
export default async function warnSplitTopology({ container, logger, dataLoaderOnly }: LoaderOptions): Promise<void> {
  if (dataLoaderOnly || isOneOffCommand()) {
    return
  }
  const config = container.resolve<ConfigModule | undefined>(ContainerRegistrationKeys.CONFIG_MODULE, { allowUnregistered: true })
  const mode = config?.projectConfig?.workerMode
  if (!config || (mode !== "server" && mode !== "worker")) {
    return
  }
  const local = processLocalModules(config)
  if (local.length > 0) {
    logger?.error(splitTopologyWarning(mode, local))
  }
}
