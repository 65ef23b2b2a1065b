import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { FakeStripe } from "../../src/testing/stripe"
import type { BurstJob, BurstResult } from "../load/burst-child"
import { runChild } from "../lib/child"
import { CpuMeter } from "../lib/cpu"
import { RssSampler, type RssPeak } from "../lib/rss"
import { mapPool, seededRandom, shuffled } from "../lib/random"
import { round, summarize, type LatencySummary } from "../lib/stats"
import { countByStatus } from "../../src/modules/payment-webhooks/inspection"
import { cpuScope, withDb } from "../store/db"
import { buildBurst, type CartEvents } from "./burst"
import { cartWithSession } from "./carts"
import { waitForOrderTimes } from "./order-times"
import { auditCaptures, type CaptureAudit, type PaidCart } from "./outcome"

const BURST_CHILD = join(__dirname, "..", "load", "burst-child.ts")

/** The burst's shape: the same for every route it is sent to. */
export type BurstShape = { duplicateRate: number; outOfOrderRate: number; concurrency: number }

/** How long to wait for the orders. */
export type OrderWait = { timeoutMs: number; stallMs: number; settleMs: number }

/** One burst delivered to one route, measured from its first delivery to its last order. */
export type DeliveryRun = {
  route: string
  carts: number
  deliveries: number
  duplicatesSent: number
  outOfOrder: number
  burst: Omit<BurstResult, "sentAt">
  /** Per cart, from its first delivery to its order (ms). */
  deliveryToOrderMs: LatencySummary
  firstOrderSeconds: number | null
  lastOrderSeconds: number | null
  ordersPerSecond: number | null
  orders: number
  lost: number
  doubleCaptured: number
  captures: CaptureAudit
  /** CPU the store and its database's backends spent from the burst's start to the last order and the settle after it, per order (ms). */
  cpuMsPerOrder: { store: number; postgres: number; total: number } | null
  /** That CPU ÷ the metered time: how many cores the store and PostgreSQL kept busy (2 = this machine's all). */
  coresBusy: { store: number; postgres: number }
  inbox: Record<string, number> | null
  rss: RssPeak
}

/** Creates `count` carts with a session of `providerId`, ready to pay. */
export async function createCarts(
  store: StoreProcess,
  seeded: Parameters<typeof cartWithSession>[1],
  providerId: string,
  count: number,
  label: string,
): Promise<PaidCart[]> {
  const indexes = Array.from({ length: count }, (_, index) => index)
  return mapPool(indexes, 8, (index) => cartWithSession(store.url, seeded, providerId, `${label}-${index}@bench.example`))
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
 * Pays `carts` at the fake PSP and sends their webhooks to `route` in one burst (duplicates and
 * out-of-order events as `shape` says, the same seeded order for every route), then waits for the
 * orders: per-cart delivery-to-order latency, first and last order, orders/s, CPU per order,
 * carts left without an order (lost) and carts captured more than once.
 */
export async function deliverBurst(
  store: StoreProcess,
  fake: FakeStripe,
  carts: readonly PaidCart[],
  route: string,
  settings: {
    secret: string
    shape: BurstShape
    wait: OrderWait
    /** Base URLs the burst is spread over (default: the store's). */
    baseUrls?: string[]
    /** Other processes of the store, by kind (servers, worker): CPU is metered per kind as well as in all. */
    kinds?: Record<string, number[]>
  },
): Promise<DeliveryRun & { cpuMsPerOrderByKind: Record<string, number> | null }> {
  const { shape } = settings
  const outOfOrder = new Set(shuffled(carts, seededRandom(11)).slice(0, Math.round(carts.length * shape.outOfOrderRate)))
  const events = carts.map((cart) => payAtPsp(fake, cart, outOfOrder.has(cart)))
  const burst = buildBurst(events, shape.duplicateRate)
  const cartOfPayload = new Map<string, number>()
  events.forEach((cartEvents, index) => {
    cartOfPayload.set(cartEvents.authorized, index)
    if (cartEvents.succeededFirst) {
      cartOfPayload.set(cartEvents.succeededFirst, index)
    }
  })
  const sampler = new RssSampler(store.pid!).start()
  const kinds = Object.entries(settings.kinds ?? {})
  const meter = await new CpuMeter(
    cpuScope(
      store,
      kinds.flatMap(([, pids]) => pids),
    ),
  ).start()
  const kindMeters = await Promise.all(kinds.map(([, pids]) => new CpuMeter({ ...cpuScope(store), rootPids: pids }).start()))
  const started = Date.now()
  const job: BurstJob = {
    urls: (settings.baseUrls ?? [store.url]).map((base) => `${base}/hooks/payment/${route}`),
    secret: settings.secret,
    payloads: burst.payloads,
    concurrency: shape.concurrency,
    timeoutMs: 30_000,
  }
  const [burstResult, times] = await withDb(store.databaseUrl, (db) =>
    Promise.all([runChild<BurstJob, BurstResult>(BURST_CHILD, job, settings.wait.timeoutMs), waitForOrderTimes(db, carts, settings.wait)]),
  )
  // Late duplicates and out-of-order events still run after the last order: they count in its cost.
  await new Promise((resolve) => setTimeout(resolve, settings.wait.settleMs))
  const cpu = await meter.stop()
  const meteredMs = Date.now() - started
  const kindSpent = await Promise.all(kindMeters.map((kindMeter) => kindMeter.stop()))
  const rss = sampler.stop()

  const firstSent = new Array<number>(carts.length).fill(Number.POSITIVE_INFINITY)
  burst.payloads.forEach((payload, index) => {
    const cart = cartOfPayload.get(payload)!
    firstSent[cart] = Math.min(firstSent[cart], burstResult.sentAt[index] || Number.POSITIVE_INFINITY)
  })
  const latencies = carts.flatMap((cart, index) => (times.has(cart.cartId) ? [times.get(cart.cartId)! - firstSent[index]] : []))
  const orderAts = [...times.values()]
  const last = orderAts.length ? (Math.max(...orderAts) - started) / 1000 : null
  const { captures, inbox } = await withDb(store.databaseUrl, async (db) => ({
    captures: await auditCaptures(db, fake, carts),
    inbox: route.endsWith("_mpw") ? await countByStatus(db, { sessionIds: carts.map((cart) => cart.sessionId) }) : null,
  }))
  const orders = times.size
  const { sentAt: _sentAt, ...burstSummary } = burstResult
  return {
    route,
    carts: carts.length,
    deliveries: burst.payloads.length,
    duplicatesSent: burst.duplicates,
    outOfOrder: burst.outOfOrder,
    burst: burstSummary,
    deliveryToOrderMs: summarize(latencies),
    firstOrderSeconds: orderAts.length ? round((Math.min(...orderAts) - started) / 1000, 2) : null,
    lastOrderSeconds: last === null ? null : round(last, 2),
    ordersPerSecond: last ? round(orders / last, 2) : null,
    orders,
    lost: carts.length - orders,
    doubleCaptured: Math.max(captures.atPsp, captures.medusaPaymentsPerSession, captures.medusaCapturesPerPayment),
    captures,
    cpuMsPerOrder: orders
      ? {
          store: round(cpu.storeMs / orders, 1),
          postgres: round(cpu.postgresMs / orders, 1),
          total: round((cpu.storeMs + cpu.postgresMs) / orders, 1),
        }
      : null,
    coresBusy: { store: round(cpu.storeMs / meteredMs, 2), postgres: round(cpu.postgresMs / meteredMs, 2) },
    inbox,
    rss,
    cpuMsPerOrderByKind:
      kinds.length && orders ? Object.fromEntries(kinds.map(([kind], index) => [kind, round(kindSpent[index].storeMs / orders, 1)])) : null,
  }
}
