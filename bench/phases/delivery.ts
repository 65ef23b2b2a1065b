import { existsSync, mkdirSync, renameSync } from "node:fs"
import { join } from "node:path"
import { ratio, round } from "../lib/stats"
import { renderProfile, summarizeProfile } from "../profile/summarize"
import { createCarts, deliverBurst, type BurstShape, type DeliveryRun } from "../orders/deliver-burst"
import { restart, STARTS, type StoreContext } from "./context"
import { runOrderSteps } from "./order-steps"
import type { OrderStepsResult } from "../profile/order-steps"

/** The two routes the burst goes to: this plugin's, and `@medusajs/payment-stripe` on Medusa's built-in route. */
export const DELIVERY_ROUTES = {
  plugin: { route: "stripe_mpw", providerId: "pp_stripe_mpw", label: "this plugin (`stripe_mpw`)" },
  medusa: {
    route: "stripe_stripe",
    providerId: "pp_stripe_stripe",
    label: "`@medusajs/payment-stripe` on Medusa's route (`stripe_stripe`)",
  },
} as const

/**
 * Carts of each route's warm-up burst, uncounted, before the measured ones. Without it the route
 * that went first paid the store's warm-up (its workflows' first runs): about 8 % more CPU per order
 * whichever route it was, more than the difference being measured.
 */
const WARMUP_CARTS = 40

/** The same burst shape for both routes (the issue's: 20 % duplicates, 5 % out of order). */
export const BURST_SHAPE: BurstShape = { duplicateRate: 0.2, outOfOrderRate: 0.05, concurrency: 32 }

/** Delivery to order, the plugin against Medusa's own provider, in one store start. */
export type DeliveryResult = {
  carts: number
  /** Carts of each route's uncounted warm-up burst. */
  warmupCarts?: number
  /** Which route's measured burst went first (on the store the warm-ups left). */
  first?: "plugin" | "medusa"
  cartSetupSeconds: number
  shape: BurstShape
  plugin: DeliveryRun
  medusa: DeliveryRun
  /** The plugin again on a store start with a higher processor `concurrency` (information, no target), if run. */
  pluginConcurrent: (DeliveryRun & { concurrency: number }) | null
  /** One order at a time on each route, each step's cost (information: where an order's CPU goes), if run. */
  orderSteps?: OrderStepsResult | null
  /** Plugin ÷ Medusa. */
  ratios: { ordersPerSecond: number; p50: number; p99: number; lastOrder: number; cpuPerOrder: number }
}

/**
 * The same burst (M carts, duplicates, out of order) delivered once to this plugin's route and once
 * to Medusa's provider on the built-in route, on one store start with default settings (Medusa's
 * in-memory event bus: its route's subscriber runs 5 s after each delivery; the plugin's processor
 * 2 s after, 4 at a time). Every cart of both sets is created first; each route then takes an
 * uncounted warm-up burst, and the plugin's measured burst goes first (Medusa's with `--medusa-first`).
 */
export async function runDeliveryPhase(ctx: StoreContext): Promise<DeliveryResult> {
  const { store, fake, seeded, config } = ctx
  const profileDir = join(__dirname, "..", ".profiles")
  const profileFile = join(profileDir, "delivery.cpuprofile")
  if (config.cpuProfile) {
    mkdirSync(profileDir, { recursive: true })
  }
  await restart(
    store,
    config.cpuProfile
      ? {
          ...STARTS.orders,
          NODE_OPTIONS: `--require ${join(__dirname, "..", "profile", "cpu-hook.js")}`,
          BENCH_CPU_PROFILE_FILE: profileFile,
        }
      : STARTS.orders,
  )
  const setupStarted = Date.now()
  ctx.step(`Delivery to order: ${config.carts} carts for each provider`)
  const pluginCarts = await createCarts(store, seeded, DELIVERY_ROUTES.plugin.providerId, config.carts, "order-mpw")
  const medusaCarts = await createCarts(store, seeded, DELIVERY_ROUTES.medusa.providerId, config.carts, "order-medusa")
  const extraCarts = config.deliveryConcurrency
    ? await createCarts(store, seeded, DELIVERY_ROUTES.plugin.providerId, config.carts, "order-mpw-concurrent")
    : []
  const warmupCarts = {
    plugin: await createCarts(store, seeded, DELIVERY_ROUTES.plugin.providerId, WARMUP_CARTS, "warmup-mpw"),
    medusa: await createCarts(store, seeded, DELIVERY_ROUTES.medusa.providerId, WARMUP_CARTS, "warmup-medusa"),
  }
  const cartSetupSeconds = round((Date.now() - setupStarted) / 1000, 1)
  const wait = { timeoutMs: 300_000, stallMs: 90_000, settleMs: 6000 }
  for (const key of ["plugin", "medusa"] as const) {
    const warm = await deliverBurst(store, fake, warmupCarts[key], DELIVERY_ROUTES[key].route, {
      secret: ctx.secret,
      shape: BURST_SHAPE,
      wait,
    })
    ctx.step(`${key}: warm-up burst, ${warm.orders}/${warm.carts} orders (uncounted)`)
  }
  const runs: Partial<Record<keyof typeof DELIVERY_ROUTES, DeliveryRun>> = {}
  const order = [
    ["plugin", pluginCarts],
    ["medusa", medusaCarts],
  ] as const
  // `--medusa-first` sends Medusa's burst first instead: runs alternate, so neither always has the first turn.
  for (const [key, carts] of config.medusaFirst ? [...order].reverse() : order) {
    if (config.cpuProfile) {
      process.kill(store.pid!, "SIGUSR2")
    }
    const run = await deliverBurst(store, fake, carts, DELIVERY_ROUTES[key].route, { secret: ctx.secret, shape: BURST_SHAPE, wait })
    if (config.cpuProfile) {
      process.kill(store.pid!, "SIGUSR2")
      // Writing the profile takes the store a moment.
      await new Promise((resolve) => setTimeout(resolve, 3000))
      if (existsSync(profileFile)) {
        const kept = join(profileDir, `delivery-${key}.cpuprofile`)
        renameSync(profileFile, kept)
        console.log(renderProfile(`CPU profile of the store, ${key}'s burst`, summarizeProfile(kept, 30), run.orders))
      }
    }
    runs[key] = run
    ctx.step(
      `${key}: ${run.orders}/${run.carts} orders, first ${run.firstOrderSeconds} s, last ${run.lastOrderSeconds} s, ${run.ordersPerSecond} orders/s, ` +
        `delivery→order p50 ${round(run.deliveryToOrderMs.p50, 0)} ms p99 ${round(run.deliveryToOrderMs.p99, 0)} ms, ` +
        `CPU/order ${run.cpuMsPerOrder?.total ?? "–"} ms, lost ${run.lost}, double-captured ${run.doubleCaptured}`,
    )
  }
  const plugin = runs.plugin!
  const medusa = runs.medusa!
  let pluginConcurrent: DeliveryResult["pluginConcurrent"] = null
  if (config.deliveryConcurrency) {
    await restart(store, { ...STARTS.orders, BENCH_PROCESSOR_CONCURRENCY: String(config.deliveryConcurrency) })
    const run = await deliverBurst(store, fake, extraCarts, DELIVERY_ROUTES.plugin.route, { secret: ctx.secret, shape: BURST_SHAPE, wait })
    pluginConcurrent = { ...run, concurrency: config.deliveryConcurrency }
    ctx.step(
      `plugin, concurrency ${config.deliveryConcurrency}: ${run.orders}/${run.carts} orders, last ${run.lastOrderSeconds} s, ${run.ordersPerSecond} orders/s, ` +
        `p50 ${round(run.deliveryToOrderMs.p50, 0)} ms, CPU/order ${run.cpuMsPerOrder?.total ?? "–"} ms, lost ${run.lost}, double-captured ${run.doubleCaptured}`,
    )
  }
  const orderSteps = config.orderSteps ? await runOrderSteps(ctx, config.orderSteps) : null
  return {
    carts: config.carts,
    warmupCarts: WARMUP_CARTS,
    first: config.medusaFirst ? "medusa" : "plugin",
    cartSetupSeconds,
    shape: BURST_SHAPE,
    plugin,
    medusa,
    pluginConcurrent,
    orderSteps,
    ratios: {
      ordersPerSecond: ratio(plugin.ordersPerSecond ?? 0, medusa.ordersPerSecond ?? 0),
      p50: ratio(plugin.deliveryToOrderMs.p50, medusa.deliveryToOrderMs.p50),
      p99: ratio(plugin.deliveryToOrderMs.p99, medusa.deliveryToOrderMs.p99),
      lastOrder: ratio(plugin.lastOrderSeconds ?? 0, medusa.lastOrderSeconds ?? 0),
      cpuPerOrder: ratio(plugin.cpuMsPerOrder?.total ?? 0, medusa.cpuMsPerOrder?.total ?? 0),
    },
  }
}
