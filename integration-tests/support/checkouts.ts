import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import type { FakeStripe } from "../../src/testing"
import { settledRowOfEvent } from "./inbox-rows"
import type { SeededStore } from "./seed"
import type { StoreClient } from "./store-client"

/** The store a spec pays at: its client and seed, the fake Stripe, the store's Stripe webhook secret, and its inbox. */
export type CheckoutStore = {
  client: StoreClient
  seeded: SeededStore
  stripe: FakeStripe
  stripeSecret: string
  inbox: () => PaymentWebhooksModuleService
}

/** Carts a spec's customers pay, each under a new email that starts with the spec's own prefix (so its orders are told apart). */
export class Checkouts {
  private made = 0

  constructor(
    private readonly store: CheckoutStore,
    private readonly emailPrefix: string,
  ) {}

  /** The store's Stripe webhook URL. */
  get stripeHook(): string {
    return `${this.store.client.baseUrl}/hooks/payment/stripe_stripe`
  }

  /** A cart ready to pay in the market of `providerId` (ZAR for Yoco, USD otherwise), with its payment session started. */
  async cart(providerId = "pp_stripe_stripe") {
    const { client, seeded } = this.store
    const email = `${this.emailPrefix}-${++this.made}-${Date.now()}@example.com`
    const market = providerId === "pp_yoco_yoco" ? seeded.markets.zar : seeded.markets.usd
    const cart = await client.cartReadyToPay({ ...market, variantId: seeded.variantId, email })
    const { session } = await client.startPayment(cart.id, providerId)
    return { email, cart, session }
  }

  /** A USD cart with its Stripe session started, and the session's PaymentIntent id. */
  async stripeCart() {
    const checkout = await this.cart("pp_stripe_stripe")
    return { ...checkout, intentId: String(checkout.session.data.id) }
  }

  /**
   * A cart paid and captured at Stripe: its `payment_intent.succeeded` delivered, settled in the inbox,
   * and turned into an order whose payment is captured.
   */
  async capturedStripeOrder() {
    const { client, stripe, stripeSecret, inbox } = this.store
    const checkout = await this.stripeCart()
    stripe.authorize(checkout.intentId)
    stripe.succeed(checkout.intentId)
    const event = stripe.eventFor(checkout.intentId, "payment_intent.succeeded")
    await stripe.deliver(this.stripeHook, event, { secret: stripeSecret })
    const row = await settledRowOfEvent(inbox(), "stripe_stripe", event.id)
    const order = await client.waitForOrder(checkout.email, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
    return { ...checkout, event, row, order }
  }
}
