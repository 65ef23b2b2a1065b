/**
 * `npm run demo`: a throwaway store with this plugin pays one cart through Stripe and one through
 * Yoco (loopback fakes of their APIs); each turns into an order from the signed webhook, one printed
 * line per step. Uses the local PostgreSQL (or DATABASE_URL) and drops its database at the end.
 * `--keep` also leaves a failed delivery to replay and keeps the store running with the admin until Ctrl-C.
 */
import { FakeStripe } from "../src/testing/stripe"
import { FakeYoco, newWebhookSecret } from "../src/testing/yoco"
import { StoreClient } from "../integration-tests/support/store-client"
import type { SeededStore } from "../integration-tests/support/seed"
import { StoreProcess } from "../integration-tests/support/store-process"
import { KEEP_ENV, keepRunning } from "./demo/keep"

const WEBHOOK_SECRET = "whsec_demo_secret"
const started = Date.now()
const keep = process.argv.includes("--keep")

function step(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5)
  console.log(`[${seconds}s] ${message}`)
}

async function main(): Promise<void> {
  await StoreProcess.assertDatabaseReachable()
  const stripe = new FakeStripe()
  await stripe.start()
  step(`Stripe API fake listening on ${stripe.url}`)
  const yoco = new FakeYoco()
  await yoco.start()
  step(`Yoco API fake listening on ${yoco.url}`)

  const store = await StoreProcess.create("mpw_demo", {
    STRIPE_API_KEY: "sk_test_demo",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE_URL: stripe.url,
    // A test key registers pp_yoco_yoco and makes the seed add the ZAR market.
    YOCO_SECRET_KEY: FakeYoco.TEST_KEY,
    YOCO_WEBHOOK_SECRET: yoco.webhookSecret,
    YOCO_API_BASE_URL: yoco.url,
    ...(keep ? KEEP_ENV : {}),
  })
  try {
    step(`Created database ${store.databaseName}; migrating`)
    await store.migrate()
    const seeded = await store.seed()
    step("Seeded a USD region offering Stripe, a ZAR region offering Yoco, a product and shipping options")
    // The admin's first start prepares its Vite server: give it longer.
    await store.start(keep ? 180_000 : 60_000)
    step(`Store running on ${store.url}`)

    const client = new StoreClient(store.url, seeded.publishableKey, seeded.adminSecret)
    const email = `demo-${Date.now()}@example.com`
    const usd = seeded.markets.usd
    const cart = await client.cartReadyToPay({ ...usd, variantId: seeded.variantId, email })
    step(`Cart ${cart.id} ready: ${cart.total} ${cart.currency_code.toUpperCase()}`)
    const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
    const intentId = String(session.data.id)
    step(`Payment session ${session.id} → PaymentIntent ${intentId} (manual capture)`)

    stripe.authorize(intentId)
    step("Customer paid: the card is authorized at Stripe")
    const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
    const delivery = await stripe.deliver(`${store.url}/hooks/payment/stripe_stripe`, event, { secret: WEBHOOK_SECRET })
    step(`Stripe delivered ${event.type} (${event.id}), signed: store answered ${delivery.status}`)

    // Medusa's completeCartWorkflow creates the order before it authorizes the session: wait for the payment too.
    const order = await client.waitForOrder(email, { timeoutMs: 30_000, ready: (o) => !!o.payment_collections[0]?.payments[0] })
    step(`Order ${order.id} exists: ${order.total} paid by an authorized payment`)
    const payment = order.payment_collections[0].payments[0]
    await client.admin("POST", `/admin/payments/${payment.id}/capture`, {})
    step(`Captured from the admin: Stripe saw ${stripe.captureCount(intentId)} capture(s) of ${intentId}`)

    const forged = await stripe.deliver(`${store.url}/hooks/payment/stripe_stripe`, event, { secret: "whsec_forged" })
    step(`A forged copy of the event was answered ${forged.status}`)

    await payWithYoco(client, store.url, seeded, yoco)
    if (keep) {
      await keepRunning(store, { client, seeded, stripe, storeUrl: store.url, webhookSecret: WEBHOOK_SECRET }, step)
    }
    step("Done.")
  } catch (error) {
    console.error(store.log.split("\n").slice(-30).join("\n"))
    throw error
  } finally {
    await store.destroy()
    await stripe.stop()
    await yoco.stop()
    step(`Dropped ${store.databaseName}`)
  }
}

/** The Yoco part: a ZAR cart paid on Yoco's hosted checkout, completed by the signed payment.succeeded. */
async function payWithYoco(client: StoreClient, storeUrl: string, seeded: SeededStore, yoco: FakeYoco): Promise<void> {
  // Yoco has no dashboard for webhooks: a store registers its URL with POST /api/webhooks (here, at the fake).
  const hookUrl = `${storeUrl}/hooks/payment/yoco_yoco`
  yoco.subscribe(hookUrl, { name: "demo store" })
  step(`Yoco webhook registered for ${hookUrl}`)

  const email = `demo-yoco-${Date.now()}@example.com`
  const cart = await client.cartReadyToPay({ ...seeded.markets.zar, variantId: seeded.variantId, email })
  step(`Cart ${cart.id} ready: ${cart.total} ${cart.currency_code.toUpperCase()}`)
  const { session } = await client.startPayment(cart.id, "pp_yoco_yoco")
  const checkoutId = String(session.data.checkout_id)
  step(
    `Payment session ${session.id} → Yoco checkout ${checkoutId} (${yoco.checkout(checkoutId).amount} cents), redirect to ${String(session.data.redirect_url)}`,
  )

  const { event, deliveries } = await yoco.pay(checkoutId)
  step(`Customer paid at Yoco: checkout ${checkoutId} is ${yoco.checkout(checkoutId).status}, payment ${event.payload.id}`)
  const [report] = deliveries
  const statuses = report.attempts.map((attempt) => attempt.status ?? attempt.error).join(", ")
  step(`Yoco delivered ${event.type} (${event.id}), signed: store answered ${statuses}`)
  if (!report.delivered) {
    throw new Error(`The store did not accept Yoco's ${event.type}: ${statuses}`)
  }

  const order = await client.waitForOrder(email, { timeoutMs: 30_000, ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
  const payment = order.payment_collections[0].payments[0]
  step(`Order ${order.id} exists: ${order.total} ZAR paid by payment ${payment.id}, captured at ${payment.captured_at}`)

  const forged = await yoco.deliver(hookUrl, event, { secret: newWebhookSecret() })
  step(`A forged copy of the event was answered ${forged.status}`)
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  },
)
