/**
 * `npm run demo`: a throwaway store with this plugin pays a cart through Stripe (a loopback fake
 * of its API) and turns into an order from the signed webhook, one printed line per step.
 * Uses the local PostgreSQL (or DATABASE_URL) and drops its database at the end.
 */
import { FakeStripe } from "../integration-tests/fakes/stripe"
import { StoreClient } from "../integration-tests/support/store-client"
import { StoreProcess } from "../integration-tests/support/store-process"

const WEBHOOK_SECRET = "whsec_demo_secret"
const started = Date.now()

function step(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5)
  console.log(`[${seconds}s] ${message}`)
}

async function main(): Promise<void> {
  await StoreProcess.assertDatabaseReachable()
  const stripe = new FakeStripe()
  await stripe.start()
  step(`Stripe API fake listening on ${stripe.url}`)

  const store = await StoreProcess.create("mpw_demo", {
    STRIPE_API_KEY: "sk_test_demo",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE_URL: stripe.url,
  })
  try {
    step(`Created database ${store.databaseName}; migrating`)
    await store.migrate()
    const seeded = await store.seed()
    step("Seeded a USD region offering Stripe, a product and a shipping option")
    await store.start()
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

    const order = await client.waitForOrder(email, { timeoutMs: 30_000 })
    step(`Order ${order.id} exists: ${order.total} paid by an authorized payment`)
    const payment = order.payment_collections[0].payments[0]
    await client.admin("POST", `/admin/payments/${payment.id}/capture`, {})
    step(`Captured from the admin: Stripe saw ${stripe.captureCount(intentId)} capture(s) of ${intentId}`)

    const forged = await stripe.deliver(`${store.url}/hooks/payment/stripe_stripe`, event, { secret: "whsec_forged" })
    step(`A forged copy of the event was answered ${forged.status}`)
    step("Done.")
  } catch (error) {
    console.error(store.log.split("\n").slice(-30).join("\n"))
    throw error
  } finally {
    await store.destroy()
    await stripe.stop()
    step(`Dropped ${store.databaseName}`)
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
)
