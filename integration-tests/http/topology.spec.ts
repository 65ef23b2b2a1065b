import Redis from "ioredis"
import { Client } from "pg"
import type { HistoryEntry } from "../../src/modules/payment-webhooks/history"
import { FakeStripe, type FakeStripeEvent } from "../../src/testing/stripe"
import { REDRIVE_JOB_NAME } from "../../src/webhooks/health/job-schedule"
import type { HealthReport } from "../../src/webhooks/health/report"
import { StoreClient } from "../support/store-client"
import { StoreProcess } from "../support/store-process"
import { until } from "../support/until"

jest.setTimeout(600_000)

const WEBHOOK_SECRET = "whsec_topology_secret"
const HOOK = "/hooks/payment/stripe_stripe"
const REDIS = process.env.TOPOLOGY_REDIS || "redis://127.0.0.1:6379"
// Databases of their own on the shared Redis: BullMQ queue names are global per database, so
// these keep the test's queues, workflows and locks apart from anything else, and are flushed alone.
const MODULES_DB = 5
const LOCKING_DB = 6
const CARTS = 6
const BOOT_MS = 180_000

/** Empties one Redis database (only that one). */
async function flushRedisDb(db: number): Promise<void> {
  const redis = new Redis(`${REDIS}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    await redis.flushdb()
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${REDIS} (${error instanceof Error ? error.message : String(error)}). Start it, or set TOPOLOGY_REDIS.`,
    )
  } finally {
    redis.disconnect()
  }
}

type InboxRow = { event_id: string; status: string; deliveries: number; history: HistoryEntry[] | null }

type Cart = { email: string; total: number; intentId: string; authorized: FakeStripeEvent }

/**
 * Production shape: two `medusa start` servers (`MEDUSA_WORKER_MODE=server`) and one worker
 * (`worker`) on one database, with Medusa's Redis event bus, workflow engine, cache and locking.
 * Stripe delivers each cart's webhook several times to both servers (as a load balancer spreads
 * retries), and one server is killed with SIGKILL right after it answered 200.
 */
describe("two servers and a worker on Redis", () => {
  const stripe = new FakeStripe()
  const answered: Array<{ server: string; event: string; status: number }> = []
  let store: StoreProcess
  let serverA: StoreProcess
  let serverB: StoreProcess
  let worker: StoreProcess
  let db: Client

  beforeAll(async () => {
    await flushRedisDb(MODULES_DB)
    await flushRedisDb(LOCKING_DB)
    await stripe.start()
    store = await StoreProcess.create("mpw_topology", {
      STRIPE_API_KEY: "sk_test_topology",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: stripe.url,
      REDIS_URL: `${REDIS}/${MODULES_DB}`,
      LOCKING_REDIS_URL: `${REDIS}/${LOCKING_DB}`,
      // The job runs every second and re-drives what is older than 2 s, so the test need not wait minutes.
      PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "1000",
      PAYMENT_WEBHOOKS_REDRIVE_AFTER_SECONDS: "2",
    })
    await store.migrate()
    await store.seed()
    worker = await store.sibling({ MEDUSA_WORKER_MODE: "worker" })
    serverA = await store.sibling({ MEDUSA_WORKER_MODE: "server" })
    serverB = await store.sibling({ MEDUSA_WORKER_MODE: "server" })
    await worker.start(BOOT_MS)
    await serverA.start(BOOT_MS)
    await serverB.start(BOOT_MS)
    db = new Client({ connectionString: store.databaseUrl })
    await db.connect()
  })

  afterAll(async () => {
    await db?.end()
    for (const member of [serverA, serverB, worker]) {
      await member?.stop("SIGKILL")
    }
    await store?.destroy()
    await stripe.stop()
    await flushRedisDb(MODULES_DB)
    await flushRedisDb(LOCKING_DB)
  })

  /** Delivers `event` to one server as Stripe would, signed, and keeps its answer. */
  async function deliver(server: StoreProcess, event: FakeStripeEvent): Promise<number> {
    const delivery = await stripe.deliver(`${server.url}${HOOK}`, event, { secret: WEBHOOK_SECRET })
    answered.push({ server: server === serverA ? "A" : "B", event: event.id, status: delivery.status })
    return delivery.status
  }

  /** Delivers each cart's event to the servers in `order`, all carts at once. */
  async function spread(carts: Cart[], event: (cart: Cart) => FakeStripeEvent, order: StoreProcess[]): Promise<void> {
    await Promise.all(carts.flatMap((cart) => order.map((server) => deliver(server, event(cart)))))
  }

  async function inboxRows(eventIds: string[]): Promise<InboxRow[]> {
    const result = await db.query<InboxRow>(
      "SELECT event_id, status, deliveries, history FROM payment_webhook_event WHERE event_id = ANY($1) AND deleted_at IS NULL",
      [eventIds],
    )
    return result.rows
  }

  /** The kinds of process (`server`, `worker`, `shared`) that made processing attempts on these rows. */
  function attemptProcessKinds(rows: InboxRow[]): string[] {
    const kinds = rows.flatMap((row) =>
      (row.history ?? []).filter((entry) => entry.kind === "attempt").map((entry) => entry.process?.kind ?? "unknown"),
    )
    return [...new Set(kinds)].sort()
  }

  it("makes one order per cart and captures each payment once, processing on the worker", async () => {
    const seeded = store.seeded!
    const clientA = new StoreClient(serverA.url, seeded.publishableKey, seeded.adminSecret)
    const clientB = new StoreClient(serverB.url, seeded.publishableKey, seeded.adminSecret)

    // Carts are made through both servers: the storefront is load-balanced too.
    const carts: Cart[] = []
    for (let index = 0; index < CARTS; index++) {
      const client = index % 2 === 0 ? clientA : clientB
      const email = `topology-${index}-${Date.now()}@example.com`
      const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email })
      const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      carts.push({ email, total: cart.total, intentId, authorized: stripe.eventFor(intentId, "payment_intent.amount_capturable_updated") })
    }

    // The worker serves no API: Stripe must be pointed at the servers.
    const atWorker = await stripe.deliver(`${worker.url}${HOOK}`, carts[0].authorized, { secret: WEBHOOK_SECRET })
    expect(atWorker.status).toBe(404)

    // Half the carts: four deliveries each, spread over both servers, all at once.
    await spread(carts.slice(0, 3), (cart) => cart.authorized, [serverA, serverB, serverA, serverB])
    // Server B answers 200 to the next cart's first delivery and is killed that instant.
    expect(await deliver(serverB, carts[3].authorized)).toBe(200)
    await serverB.stop("SIGKILL")
    // While B is down the load balancer sends Stripe's retries to A; then B is back (a restart, a deploy).
    await spread(carts.slice(3), (cart) => cart.authorized, [serverA, serverA])
    await serverB.start(BOOT_MS)
    await spread(carts.slice(3), (cart) => cart.authorized, [serverB, serverA])

    for (const cart of carts) {
      const order = await clientA.waitForOrder(cart.email, { timeoutMs: 120_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\nWorker log:\n${worker.log.split("\n").slice(-40).join("\n")}`)
      })
      expect(order.total).toBe(cart.total)
    }
    const orders = await db.query<{ email: string; orders: number }>(
      `SELECT email, count(*)::int AS orders FROM "order" WHERE email = ANY($1) AND deleted_at IS NULL GROUP BY email`,
      [carts.map((cart) => cart.email)],
    )
    expect(orders.rows.map((row) => row.orders)).toEqual(carts.map(() => 1))

    // Every delivery a server acknowledged was recorded, the one B answered before it died included.
    const authorizedIds = carts.map((cart) => cart.authorized.id)
    const authorizedRows = await until(
      () => inboxRows(authorizedIds),
      (rows) => rows.length === CARTS && rows.every((row) => row.status === "processed"),
      "every authorization processed",
      120_000,
    )
    for (const row of authorizedRows) {
      expect(row.deliveries).toBe(answered.filter((answer) => answer.event === row.event_id).length)
    }

    // The admin captures each payment once; Stripe then tells the store, several times, on both servers.
    for (const [index, cart] of carts.entries()) {
      const client = index % 2 === 0 ? clientA : clientB
      const order = await client.orderByEmail(cart.email)
      const payment = order!.payment_collections[0].payments[0]
      await client.admin("POST", `/admin/payments/${payment.id}/capture`, {})
    }
    const succeeded = carts.map((cart) => stripe.eventFor(cart.intentId, "payment_intent.succeeded"))
    await Promise.all(succeeded.flatMap((event) => [serverA, serverB, serverB].map((server) => deliver(server, event))))
    await spread(carts, (cart) => cart.authorized, [serverB])
    const capturedRows = await until(
      () => inboxRows(succeeded.map((event) => event.id)),
      (rows) => rows.length === CARTS && rows.every((row) => row.status !== "received"),
      "every capture notice settled",
      120_000,
    )

    for (const cart of carts) {
      expect(stripe.captureCount(cart.intentId)).toBe(1)
      const order = await clientA.orderByEmail(cart.email)
      const payment = order!.payment_collections[0].payments[0]
      expect(payment.captures).toHaveLength(1)
      expect(payment.captured_at).not.toBeNull()
    }
    expect(answered.filter((answer) => answer.status !== 200)).toEqual([])

    // The redis event bus hands the announcement to the worker; a server never runs the processor.
    const settled = await inboxRows([...authorizedIds, ...succeeded.map((event) => event.id)])
    expect(settled).toHaveLength(2 * CARTS)
    expect(attemptProcessKinds(settled)).toEqual(["worker"])
    expect(capturedRows.every((row) => (row.history ?? []).some((entry) => entry.kind === "attempt"))).toBe(true)

    // The job runs on the worker alone: its heartbeat names the process, and a server's health check reports it.
    const jobRun = await until(
      () =>
        db
          .query<{ process_kind: string; finished_at: Date | null }>(
            "SELECT process_kind, finished_at FROM payment_webhook_job_run WHERE id = $1",
            [REDRIVE_JOB_NAME],
          )
          .then((result) => result.rows[0]),
      (row) => !!row?.finished_at,
      "a finished pass of the job",
      60_000,
    )
    expect(jobRun.process_kind).toBe("worker")
    // 200 once the job's latest pass is fresh (a pass slower than three 1 s periods on a busy machine answers 503 a moment).
    const health = await until(
      () => clientA.admin<HealthReport>("GET", "/admin/payment-webhooks/health").catch(() => undefined),
      (report) => !!report,
      "a 200 from the health check",
      60_000,
    )
    expect(health!.job?.process_kind).toBe("worker")
    expect(health!.modules).toMatchObject({
      event_bus: "redis",
      workflow_engine: "redis",
      cache: "redis",
      locking: "redis",
      worker_mode: "server",
    })

    for (const member of [serverA, serverB, worker]) {
      expect(member.log).not.toContain("MEDUSA_WORKER_MODE=")
    }
  })

  it("says at boot when a server of a split deployment runs on in-memory modules", async () => {
    const lone = await store.sibling({ MEDUSA_WORKER_MODE: "server", REDIS_URL: "", LOCKING_REDIS_URL: "" })
    try {
      await lone.start(BOOT_MS)
      expect(lone.log).toContain("MEDUSA_WORKER_MODE=server with Medusa's in-memory event bus, workflow engine, locking")
      expect(lone.log).toContain("will not reach the worker")
    } finally {
      await lone.stop()
    }
  })
})
