import { join } from "node:path"
import { defineConfig, isTruthy, loadEnv } from "@medusajs/framework/utils"
import { redisModules } from "./src/redis-modules"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/** Stripe options from the environment; `STRIPE_WEBHOOK_SECRET` may list several secrets, comma-separated. */
function stripeOptions(overrides: { capture: boolean }) {
  return {
    apiKey: process.env.STRIPE_API_KEY,
    webhookSecret: process.env.STRIPE_WEBHOOK_SECRET?.split(","),
    apiBaseUrl: process.env.STRIPE_API_BASE_URL || undefined,
    ...overrides,
  }
}

/** Inbox options; the process-level tests shorten the re-drive delays through the environment. */
function inboxOptions() {
  return {
    ...(process.env.PAYMENT_WEBHOOKS_REDRIVE_AFTER_SECONDS
      ? { redriveAfterSeconds: Number(process.env.PAYMENT_WEBHOOKS_REDRIVE_AFTER_SECONDS), backoffSeconds: 1 }
      : {}),
    // The browser test and the demo make a delivery fail for good at once, to replay it from the admin.
    ...(process.env.PAYMENT_WEBHOOKS_MAX_ATTEMPTS ? { maxAttempts: Number(process.env.PAYMENT_WEBHOOKS_MAX_ATTEMPTS) } : {}),
    // The money-races test makes work outlast a short lease, to show the claim and the lock are renewed.
    ...(process.env.PAYMENT_WEBHOOKS_LEASE_SECONDS ? { leaseSeconds: Number(process.env.PAYMENT_WEBHOOKS_LEASE_SECONDS) } : {}),
    // The admin API test makes a hung PSP give up within seconds rather than the default 10.
    ...(process.env.PAYMENT_WEBHOOKS_ADMIN_PSP_TIMEOUT_MS
      ? { adminPspTimeoutMs: Number(process.env.PAYMENT_WEBHOOKS_ADMIN_PSP_TIMEOUT_MS) }
      : {}),
    ...excludedProviders(),
  }
}

/** `MEDUSA_WORKER_MODE`: `server` answers HTTP only, `worker` runs subscribers and jobs only, `shared` (default) both. */
function workerMode(): "shared" | "server" | "worker" {
  const mode = process.env.MEDUSA_WORKER_MODE || "shared"
  if (mode !== "shared" && mode !== "server" && mode !== "worker") {
    throw new Error(`MEDUSA_WORKER_MODE must be shared, server or worker, not "${mode}"`)
  }
  return mode
}

/**
 * Providers from other packages, for the tests that show the inbox serving them, each only when its
 * variable is set: Medusa's own Stripe provider (pp_stripe_medusa), its SDK pointed at the loopback fake
 * Stripe (it has no host option); and "Acme Pay", a provider written as a third party would
 * (pp_acme_acme verifies offline, pp_acme_slow over its API).
 */
function otherPackagesProviders() {
  const providers: Array<{ resolve: string; id: string; options: Record<string, unknown> }> = []
  if (process.env.MEDUSA_STRIPE_WEBHOOK_SECRET) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only where Medusa's provider is registered, before it loads
    require("./integration-tests/support/medusa-stripe-host.js")
    providers.push({
      resolve: "@medusajs/medusa/payment-stripe",
      id: "medusa",
      options: { apiKey: process.env.STRIPE_API_KEY, webhookSecret: process.env.MEDUSA_STRIPE_WEBHOOK_SECRET },
    })
  }
  if (process.env.ACME_API_BASE_URL) {
    const acme = { apiBaseUrl: process.env.ACME_API_BASE_URL, webhookSecret: process.env.ACME_WEBHOOK_SECRET }
    // An absolute path: Medusa reads a relative one as under src/.
    const resolve = join(__dirname, "integration-tests", "fixtures", "acme-pay")
    providers.push({ resolve, id: "acme", options: acme })
    providers.push({ resolve, id: "slow", options: { ...acme, verifyOverNetwork: true } })
  }
  return providers
}

/**
 * Medusa's RBAC (roles, and the `policies` its admin routes and this plugin's declare) is behind its `rbac`
 * feature flag, which Medusa reads from `MEDUSA_FF_RBAC` (the RBAC test turns it on). defineConfig() adds
 * the RBAC module only if the flag is already on when this file is evaluated, and Medusa registers its
 * flags after reading it: so the module is listed here, for its tables, its Super Admin role and the policies
 * it syncs at start.
 */
function rbacModules() {
  return isTruthy(process.env.MEDUSA_FF_RBAC) ? [{ resolve: "@medusajs/medusa/rbac" }] : []
}

/** Inbox options a test sets through the environment: providers left to Medusa's route. */
function excludedProviders() {
  return process.env.PAYMENT_WEBHOOKS_EXCLUDE ? { exclude: process.env.PAYMENT_WEBHOOKS_EXCLUDE.split(",") } : {}
}

/**
 * The repo is its own test store: this config registers the plugin's providers from source,
 * exactly as a store registers them from the package (`medusa-payment-webhooks/providers/…`).
 * PSP hosts come from the environment so tests and the demo can point them at loopback fakes.
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    // Admin sessions shared by every server; unset, each process keeps its own in memory.
    redisUrl: process.env.REDIS_URL || undefined,
    workerMode: workerMode(),
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  // The admin (with this plugin's page and widget from src/admin) costs a Vite build per start: only the
  // browser test and `npm run demo -- --keep` turn it on, with MEDUSA_ADMIN=on.
  admin: { disable: process.env.MEDUSA_ADMIN !== "on" },
  modules: [
    // With REDIS_URL, the modules servers and a worker must share are Redis-backed (LOCKING_REDIS_URL may give locking its own database).
    ...redisModules({ redisUrl: process.env.REDIS_URL, lockingRedisUrl: process.env.LOCKING_REDIS_URL }),
    ...rbacModules(),
    // The plugin entry `plugins: [{ resolve: "medusa-payment-webhooks" }]` registers this module in a store;
    // PAYMENT_WEBHOOKS_PLUGIN=off runs the providers alone on Medusa's own route, as a store without the entry.
    ...(process.env.PAYMENT_WEBHOOKS_PLUGIN === "off" ? [] : [{ resolve: "./src/modules/payment-webhooks", options: inboxOptions() }]),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          // Manual capture (authorize at checkout, capture from the admin): pp_stripe_stripe.
          { resolve: "./src/providers/stripe", id: "stripe", options: stripeOptions({ capture: false }) },
          // Automatic capture, for stores that charge at checkout: pp_stripe_auto.
          { resolve: "./src/providers/stripe", id: "auto", options: stripeOptions({ capture: true }) },
          // Test stores only: providers of other packages, served by the inbox like this package's own.
          ...otherPackagesProviders(),
          // Yoco (South Africa, ZAR): pp_yoco_yoco. Registered only when a key is set.
          ...(process.env.YOCO_SECRET_KEY
            ? [
                {
                  resolve: "./src/providers/yoco",
                  id: "yoco",
                  options: {
                    secretKey: process.env.YOCO_SECRET_KEY,
                    webhookSecret: process.env.YOCO_WEBHOOK_SECRET?.split(","),
                    apiBaseUrl: process.env.YOCO_API_BASE_URL || undefined,
                    successUrl: "http://localhost:8000/checkout/success?session={session_id}",
                    cancelUrl: "http://localhost:8000/checkout?session={session_id}",
                    failureUrl: "http://localhost:8000/checkout/failed?session={session_id}",
                  },
                },
              ]
            : []),
        ],
      },
    },
  ],
})
