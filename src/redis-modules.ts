/** Where each Redis-backed module keeps its state. */
export type RedisModulesOptions = {
  /** Redis for the event bus, the workflow engine and the cache; unset, no module is returned. */
  redisUrl?: string
  /** Redis for the Locking module, when it should have a database of its own (default: `redisUrl`). */
  lockingRedisUrl?: string
}

/**
 * The Medusa modules a split deployment (servers and a worker) must share, each on Redis: the event
 * bus (a delivery recorded on a server is announced to the worker), the workflow engine (cart
 * completion across processes), the cache, and locking with `locking-redis` (Medusa's cart lock and the
 * plugin's session lock). Spread into `modules` of a store's `medusa-config`:
 * `modules: [...redisModules({ redisUrl: process.env.REDIS_URL }), …]`. Without `redisUrl`, none: Medusa's
 * in-memory modules, which hold within one process only.
 */
export function redisModules(options: RedisModulesOptions) {
  const { redisUrl } = options
  if (!redisUrl) {
    return []
  }
  return [
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
    { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
    {
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [
          {
            resolve: "@medusajs/medusa/locking-redis",
            id: "locking-redis",
            is_default: true,
            options: { redisUrl: options.lockingRedisUrl || redisUrl },
          },
        ],
      },
    },
  ]
}
