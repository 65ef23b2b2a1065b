import { Client } from "pg"
import { FakeStripe } from "../../src/testing/stripe"
import { StoreClient } from "../support/store-client"
import { StoreProcess } from "../support/store-process"

jest.setTimeout(300_000)

const WEBHOOK_SECRET = "whsec_crash_secret"
const MEDUSA_STRIPE_SECRET = "whsec_crash_medusa_provider"

/**
 * A real `medusa start` process, killed with SIGKILL after it answered the PSP 200 but before
 * the processor took the delivery up (the in-memory event bus loses the announcement). Restarted,
 * the store's job must still turn the cart into an order.
 */
describe("a store killed right after acknowledging a webhook", () => {
  const stripe = new FakeStripe()
  let store: StoreProcess

  beforeAll(async () => {
    await stripe.start()
    store = await StoreProcess.create("mpw_crash", {
      STRIPE_API_KEY: "sk_test_crash",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: stripe.url,
      // Medusa's own Stripe provider too (pp_stripe_medusa), its SDK pointed at the same fake.
      MEDUSA_STRIPE_WEBHOOK_SECRET: MEDUSA_STRIPE_SECRET,
      // The job runs every 1.5 s and re-drives what is older than 1 s, so the test need not wait minutes.
      PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "1500",
      PAYMENT_WEBHOOKS_REDRIVE_AFTER_SECONDS: "1",
    })
    await store.migrate()
    await store.seed()
  })

  afterAll(async () => {
    await store?.destroy()
    await stripe.stop()
  })

  /** Pays a cart with `providerId`, delivers its authorization to `key`, kills the store right after the 200, restarts it: the order must come. */
  async function killedAfterTheAnswer(
    providerId: string,
    key: string,
    secret: string,
    firstStartEnv: NodeJS.ProcessEnv = {},
  ): Promise<{ bootLog: string }> {
    await store.start(60_000, firstStartEnv)
    const bootLog = store.log
    const seeded = store.seeded!
    const client = new StoreClient(store.url, seeded.publishableKey, seeded.adminSecret)
    const email = `crash-${Date.now()}@example.com`
    const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email })
    const { session } = await client.startPayment(cart.id, providerId)
    const intentId = String(session.data.id)
    stripe.authorize(intentId)

    const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
    const delivery = await stripe.deliver(`${store.url}/hooks/payment/${key}`, event, { secret })
    expect(delivery.status).toBe(200)
    await store.stop("SIGKILL")

    const db = new Client({ connectionString: store.databaseUrl })
    await db.connect()
    try {
      const before = await db.query("SELECT status FROM payment_webhook_event WHERE event_id = $1", [event.id])
      expect(before.rows).toEqual([{ status: "received" }])
      const orders = await db.query("SELECT order_id FROM order_cart WHERE cart_id = $1", [cart.id])
      expect(orders.rows).toHaveLength(0)

      await store.start()
      const order = await client.waitForOrder(email, { timeoutMs: 60_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\nStore log:\n${store.log.split("\n").slice(-40).join("\n")}`)
      })
      expect(order.total).toBe(cart.total)
      // The order exists a moment before the processor settles the event.
      let status = ""
      for (let attempt = 0; attempt < 40 && status !== "processed"; attempt++) {
        const after = await db.query("SELECT status FROM payment_webhook_event WHERE event_id = $1", [event.id])
        status = after.rows[0]?.status
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      expect(status).toBe("processed")
    } finally {
      await db.end()
      await store.stop()
    }
    return { bootLog }
  }

  it("completes the cart after a restart", async () => {
    await killedAfterTheAnswer("pp_stripe_stripe", "stripe_stripe", WEBHOOK_SECRET)
  })

  it("does the same for Medusa's own Stripe provider, which the inbox serves too (and says so at boot)", async () => {
    // Info lines on for the first start: the line naming what the inbox serves is one.
    const { bootLog } = await killedAfterTheAnswer("pp_stripe_medusa", "stripe_medusa", MEDUSA_STRIPE_SECRET, { LOG_LEVEL: "info" })
    expect(bootLog).toMatch(/the inbox serves stripe_auto, stripe_stripe, and stripe_medusa, .* from other packages/)
  })
})
