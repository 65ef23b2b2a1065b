/**
 * `npm run demo -- --keep`: after the demo's payments, leaves one failed delivery to replay, creates
 * an admin user and keeps the store (with the admin) running until Ctrl-C.
 */
import { createAdminUser } from "../../integration-tests/support/admin-browser"
import { payStripeCartWithFailedDelivery, type ScenarioStore } from "../../integration-tests/support/admin-scenario"
import type { StoreProcess } from "../../integration-tests/support/store-process"

/** The demo's admin login (a throwaway store on a local database). */
export const DEMO_ADMIN = { email: "admin@example.com", password: "supersecret" }

/** The store's environment for a kept demo: the admin on, and a delivery that fails once is failed at once. */
export const KEEP_ENV = { MEDUSA_ADMIN: "on", PAYMENT_WEBHOOKS_MAX_ATTEMPTS: "1" }

/** Leaves a failed delivery, prints where to log in, and resolves on Ctrl-C (SIGINT) or SIGTERM. */
export async function keepRunning(store: StoreProcess, scenario: ScenarioStore, step: (message: string) => void): Promise<void> {
  const failed = await payStripeCartWithFailedDelivery(scenario, `demo-failed-${Date.now()}@example.com`)
  step(
    `Cart paid with PaymentIntent ${failed.intentId}: Stripe failed the store's read once, so delivery ${failed.delivery.id} is failed (${failed.delivery.last_error})`,
  )

  await createAdminUser(store, DEMO_ADMIN.email, DEMO_ADMIN.password)
  console.log("")
  console.log(`  Admin:    ${store.url}/app  (the first load prepares the admin; it can take a minute)`)
  console.log(`  Login:    ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`)
  console.log(`  Look at:  Payment webhooks in the sidebar (replay ${failed.delivery.id} from its drawer),`)
  console.log("            and an order's page (the Payment webhooks widget on the side)")
  console.log("")
  step("Running until Ctrl-C")
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve)
    process.once("SIGTERM", resolve)
  })
  step("Stopping")
}
