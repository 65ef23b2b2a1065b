import { join } from "node:path"
import type { SeededStore } from "../../integration-tests/support/seed"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { FakeStripe } from "../../src/testing/stripe"
import type { BurstJob, BurstResult } from "../load/burst-child"
import { runChild } from "../lib/child"
import { mapPool, seededRandom, shuffled } from "../lib/random"
import { RssSampler, type RssPeak } from "../lib/rss"
import { round } from "../lib/stats"
import { buildBurst, type CartEvents } from "../orders/burst"
import { cartWithSession } from "../orders/carts"
import { auditCaptures, ordersPlaced, type CaptureAudit, type PaidCart } from "../orders/outcome"
import { inboxRowsForSessions, withDb } from "../store/db"

const BURST_CHILD = join(__dirname, "..", "load", "burst-child.ts")

/** Knobs of the phase. */
export type OrdersSettings = {
  carts: number
  secret: string
  cartConcurrency: number
  burstConcurrency: number
  duplicateRate: number
  outOfOrderRate: number
  timeoutMs: number
  /** Wait after the last order before counting captures, so late and duplicate events have run. */
  settleMs: number
}

/** What the phase measured. */
export type OrdersResult = {
  carts: number
  cartSetupSeconds: number
  deliveries: number
  duplicatesSent: number
  outOfOrder: number
  burst: BurstResult
  firstOrderSeconds: number | null
  allOrdersSeconds: number | null
  ordersPerSecond: number | null
  orders: number
  lost: number
  doubleCaptured: number
  captures: CaptureAudit
  inbox: Record<string, number>
  rss: RssPeak
}

/** The customer pays at the fake PSP; for out-of-order carts the charge is also captured (dashboard) first. */
function payAtPsp(fake: FakeStripe, cart: PaidCart, outOfOrder: boolean): CartEvents {
  fake.authorize(cart.intentId)
  const authorized = fake.payloadOf(fake.eventFor(cart.intentId, "payment_intent.amount_capturable_updated"))
  if (!outOfOrder) {
    return { authorized }
  }
  fake.succeed(cart.intentId)
  return { authorized, succeededFirst: fake.payloadOf(fake.eventFor(cart.intentId, "payment_intent.succeeded")) }
}

/**
 * Webhooks to orders: `carts` carts paid at the fake PSP, their webhooks (to the plugin's route)
 * sent in one burst with duplicates and out-of-order events; then the time until every cart is an
 * order, the carts left without one (lost), and the carts captured more than once.
 */
export async function runOrdersPhase(store: StoreProcess, seeded: SeededStore, fake: FakeStripe, settings: OrdersSettings): Promise<OrdersResult> {
  const setupStarted = Date.now()
  const indexes = Array.from({ length: settings.carts }, (_, index) => index)
  const carts: PaidCart[] = await mapPool(indexes, settings.cartConcurrency, (index) =>
    cartWithSession(store.url, seeded, "pp_stripe_mpw", `order-${index}@bench.example`)
  )
  const cartSetupSeconds = (Date.now() - setupStarted) / 1000
  const outOfOrderCount = Math.round(settings.carts * settings.outOfOrderRate)
  const outOfOrder = new Set(shuffled(carts, seededRandom(11)).slice(0, outOfOrderCount))
  const burst = buildBurst(carts.map((cart) => payAtPsp(fake, cart, outOfOrder.has(cart))), settings.duplicateRate)

  const pid = store.pid
  if (!pid) {
    throw new Error("The store is not running")
  }
  const sampler = new RssSampler(pid).start()
  const started = Date.now()
  const job: BurstJob = {
    url: `${store.url}/hooks/payment/stripe_mpw`,
    secret: settings.secret,
    payloads: burst.payloads,
    concurrency: settings.burstConcurrency,
    timeoutMs: 30_000,
  }
  const [burstResult, timing] = await Promise.all([
    runChild<BurstJob, BurstResult>(BURST_CHILD, job, settings.timeoutMs),
    waitForOrders(store.databaseUrl, carts, started, settings.timeoutMs),
  ])
  await new Promise((resolve) => setTimeout(resolve, settings.settleMs))
  const rss = sampler.stop()
  const { captures, inbox, orders } = await withDb(store.databaseUrl, async (db) => ({
    captures: await auditCaptures(db, fake, carts),
    inbox: await inboxRowsForSessions(db, carts.map((cart) => cart.sessionId)),
    orders: await ordersPlaced(db, carts),
  }))
  return {
    carts: settings.carts,
    cartSetupSeconds: round(cartSetupSeconds, 1),
    deliveries: burst.payloads.length,
    duplicatesSent: burst.duplicates,
    outOfOrder: burst.outOfOrder,
    burst: burstResult,
    ...timing,
    orders,
    lost: settings.carts - orders,
    doubleCaptured: Math.max(captures.atPsp, captures.medusaPaymentsPerSession, captures.medusaCapturesPerPayment),
    captures,
    inbox,
    rss,
  }
}

/** Polls the database until every cart is an order (or the timeout); times are from the burst's start. */
async function waitForOrders(databaseUrl: string, carts: readonly PaidCart[], started: number, timeoutMs: number) {
  return withDb(databaseUrl, async (db) => {
    let firstOrderSeconds: number | null = null
    let allOrdersSeconds: number | null = null
    const deadline = started + timeoutMs
    while (Date.now() < deadline && allOrdersSeconds === null) {
      const placed = await ordersPlaced(db, carts)
      const seconds = (Date.now() - started) / 1000
      if (placed > 0 && firstOrderSeconds === null) {
        firstOrderSeconds = round(seconds, 2)
      }
      if (placed === carts.length) {
        allOrdersSeconds = round(seconds, 2)
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    return {
      firstOrderSeconds,
      allOrdersSeconds,
      ordersPerSecond: allOrdersSeconds ? round(carts.length / allOrdersSeconds, 1) : null,
    }
  })
}
