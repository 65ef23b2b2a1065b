/**
 * The benchmark store's config, copied into the throwaway project `bench/.store` whose
 * `node_modules/medusa-payment-webhooks` holds the built package. It installs the plugin as a
 * store would (plugin entry + provider from the package), next to Medusa's own Stripe provider:
 *   /hooks/payment/stripe_mpw     this plugin (verified at the edge, recorded in the inbox)
 *   /hooks/payment/stripe_stripe  @medusajs/payment-stripe (the built-in route only queues)
 * `BENCH_INBOX_ENABLED=false` starts the same store with the plugin entry disabled: the plugin's
 * provider then answers on Medusa's own route, verified only later by Medusa's subscriber.
 * `BENCH_HOLD_DELAYED_EVENTS=1` swaps in the local event bus that holds delayed events past the run
 * (./event-bus-hold.js): the ack runs measure the acknowledgement, not the subscriber runs it queues.
 * Without it the store runs Medusa's default in-memory event bus.
 * `BENCH_REDIS_URL` (a Redis database of the benchmark's own) gives it the production modules: Redis event
 * bus, workflow engine, cache and locking (`BENCH_LOCKING_REDIS_URL`, another database), and
 * `MEDUSA_WORKER_MODE` (server | worker | shared) picks the process kind, as the plugin's README recipe.
 * `BENCH_RETENTION_DAYS` and `BENCH_RAW_BODY_RETENTION_DAYS` set the plugin's retention ages (the inbox
 * phase's `medusa exec` of the job's pass only); without them, the plugin's defaults.
 */
const { defineConfig, loadEnv } = require("@medusajs/framework/utils")
const { redisModules } = require("medusa-payment-webhooks/redis-modules")

loadEnv(process.env.NODE_ENV || "development", process.cwd())
// Medusa's Stripe provider talks to the loopback fake too (it has no option for the API host).
require("./stripe-api-host.js")

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.BENCH_REDIS_URL || undefined,
    workerMode: process.env.MEDUSA_WORKER_MODE || "shared",
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "bench-jwt",
      cookieSecret: process.env.COOKIE_SECRET || "bench-cookie",
    },
  },
  admin: { disable: true },
  plugins: [
    {
      resolve: "medusa-payment-webhooks",
      options: {
        enabled: process.env.BENCH_INBOX_ENABLED !== "false",
        // The baseline: Medusa's own provider answered by Medusa's own route.
        exclude: ["pp_stripe_stripe"],
        // Only the delivery phase's extra run sets it: how far the processor's `concurrency` moves orders/s.
        ...(process.env.BENCH_PROCESSOR_CONCURRENCY ? { concurrency: Number(process.env.BENCH_PROCESSOR_CONCURRENCY) } : {}),
        // Only the inbox phase's timing of the job's pass sets them: retention ages past the filled rows' oldest, as on a
        // store whose job keeps up (nothing left to drop or prune), so that the pass leaves the fill as it is.
        ...(process.env.BENCH_RETENTION_DAYS ? { retentionDays: Number(process.env.BENCH_RETENTION_DAYS) } : {}),
        ...(process.env.BENCH_RAW_BODY_RETENTION_DAYS ? { rawBodyRetentionDays: Number(process.env.BENCH_RAW_BODY_RETENTION_DAYS) } : {}),
      },
    },
  ],
  modules: [
    // BENCH_REDIS_URL gives the bench store the production modules, as the plugin's own helper builds them.
    ...redisModules({ redisUrl: process.env.BENCH_REDIS_URL, lockingRedisUrl: process.env.BENCH_LOCKING_REDIS_URL }),
    ...(process.env.BENCH_HOLD_DELAYED_EVENTS === "1"
      ? [{ key: "event_bus", resolve: require("node:path").join(__dirname, "event-bus-hold.js") }]
      : []),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-payment-webhooks/providers/stripe",
            id: "mpw",
            options: {
              apiKey: process.env.STRIPE_API_KEY,
              webhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
              apiBaseUrl: process.env.STRIPE_API_BASE_URL,
            },
          },
          // Medusa's own provider on Medusa's route (the baseline: `exclude` below leaves it there)…
          {
            resolve: "@medusajs/payment-stripe",
            id: "stripe",
            options: { apiKey: process.env.STRIPE_API_KEY, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET },
          },
          // …and the same provider again, served by the inbox like every provider it is not told to leave alone.
          {
            resolve: "@medusajs/payment-stripe",
            id: "inboxed",
            options: { apiKey: process.env.STRIPE_API_KEY, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET },
          },
        ],
      },
    },
  ],
})
