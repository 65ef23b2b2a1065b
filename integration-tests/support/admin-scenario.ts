import type { FakeStripe, FakeStripeEvent } from "../../src/testing/stripe"
import type { AdminOrder, StoreClient, StoreSession } from "./store-client"
import type { SeededStore } from "./seed"
import { until } from "./until"

/** What the admin page lists: one recorded delivery (the fields the scenarios look at). */
export type ListedDelivery = {
  id: string
  status: string
  session_id: string | null
  event_id: string
  attempts: number
  last_error: string | null
}

/** A cart paid at the fake Stripe (authorized, manual capture) and its signed webhook delivered to the store. */
export type PaidCart = { email: string; session: StoreSession; intentId: string; event: FakeStripeEvent; deliveryStatus: number }

/** The store, the fake Stripe and the webhook secret a scenario works with. */
export type ScenarioStore = { client: StoreClient; seeded: SeededStore; stripe: FakeStripe; storeUrl: string; webhookSecret: string }

/** Starts a USD cart's Stripe payment, has the customer's card authorized, and delivers Stripe's signed event. */
export async function payStripeCart(scenario: ScenarioStore, email: string): Promise<PaidCart> {
  const { client, seeded, stripe } = scenario
  const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email })
  const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
  const intentId = String(session.data.id)
  stripe.authorize(intentId)
  const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
  const delivery = await stripe.deliver(`${scenario.storeUrl}/hooks/payment/stripe_stripe`, event, { secret: scenario.webhookSecret })
  return { email, session, intentId, event, deliveryStatus: delivery.status }
}

/** A paid cart that became an order (with its payment) from the webhook. */
export async function payStripeCartIntoOrder(scenario: ScenarioStore, email: string): Promise<PaidCart & { order: AdminOrder }> {
  const paid = await payStripeCart(scenario, email)
  // Medusa's completeCartWorkflow creates the order before it authorizes the session: wait for the payment too.
  const order = await scenario.client.waitForOrder(email, { timeoutMs: 60_000, ready: (o) => !!o.payment_collections[0]?.payments[0] })
  return { ...paid, order }
}

/**
 * A paid cart whose delivery fails for good: Stripe answers the store's one read of the PaymentIntent
 * with a 500 (and tells the SDK not to retry), on a store whose inbox gives up after one attempt
 * (`PAYMENT_WEBHOOKS_MAX_ATTEMPTS=1`). Stripe is fine again afterwards, so a replay succeeds.
 */
export async function payStripeCartWithFailedDelivery(
  scenario: ScenarioStore,
  email: string,
): Promise<PaidCart & { delivery: ListedDelivery }> {
  const { client, seeded, stripe } = scenario
  const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email })
  const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
  const intentId = String(session.data.id)
  stripe.authorize(intentId)
  stripe.failNext({ method: "GET", path: new RegExp(`^/v1/payment_intents/${intentId}`), status: 500, shouldRetry: false })
  const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
  const answer = await stripe.deliver(`${scenario.storeUrl}/hooks/payment/stripe_stripe`, event, { secret: scenario.webhookSecret })
  const delivery = await until(
    () => deliveryOfSession(client, session.id),
    (row) => row?.status === "failed",
    `the delivery for session ${session.id} to fail`,
    60_000,
  )
  return { email, session, intentId, event, deliveryStatus: answer.status, delivery: delivery! }
}

/** The newest delivery recorded for a payment session, through the admin API. */
export async function deliveryOfSession(client: StoreClient, sessionId: string): Promise<ListedDelivery | undefined> {
  const list = await client.admin<{ payment_webhooks: ListedDelivery[] }>(
    "GET",
    `/admin/payment-webhooks?session_id=${encodeURIComponent(sessionId)}`,
  )
  return list.payment_webhooks[0]
}
