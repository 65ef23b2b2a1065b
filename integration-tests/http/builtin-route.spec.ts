import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { signStripePayload } from "../../src/providers/stripe/signature"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { SeededStore } from "../support/seed"
import { StoreClient } from "../support/store-client"

jest.setTimeout(180_000)

// A store that registers the providers but not the plugin entry: Medusa's own route and subscriber do the work.
process.env.PAYMENT_WEBHOOKS_PLUGIN = "off"

const STRIPE_SECRET = "whsec_builtin_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)
/** Medusa's subscriber waits 5 s before it calls the provider; this is past it. */
const PAST_MEDUSA_DELAY_MS = 9_000

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let seeded: SeededStore
    let client: StoreClient
    let emails = 0

    beforeAll(async () => {
      ;({ seeded, client } = await seededClient(getContainer(), api.defaults.baseURL))
    })

    afterAll(() => {
      delete process.env.PAYMENT_WEBHOOKS_PLUGIN
    })

    const email = () => `builtin-${++emails}-${Date.now()}@example.com`

    /** A USD cart whose PaymentIntent the customer's card authorized at Stripe. */
    async function authorizedStripeCart() {
      const customer = email()
      const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email: customer })
      const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      return { customer, cart, intentId }
    }

    it("completes a Stripe cart through Medusa's route: the provider verifies and maps, Medusa's subscriber places the order", async () => {
      const { customer, cart, intentId } = await authorizedStripeCart()
      const answer = await stripe.deliver(
        `${client.baseUrl}/hooks/payment/stripe_stripe`,
        stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"),
        {
          secret: STRIPE_SECRET,
        },
      )
      expect(answer.status).toBe(200)
      const order = await client.waitForOrder(customer, { timeoutMs: 30_000 })
      expect(order.total).toBe(cart.total)
      expect(order.payment_collections[0].payments).toHaveLength(1)
    })

    it("completes a Yoco cart through Medusa's route with the payment captured", async () => {
      const customer = email()
      const cart = await client.cartReadyToPay({ ...seeded.markets.zar, variantId: seeded.variantId, email: customer })
      const { session } = await client.startPayment(cart.id, "pp_yoco_yoco")
      await yoco.pay(String(session.data.checkout_id), { deliverTo: `${client.baseUrl}/hooks/payment/yoco_yoco` })
      const order = await client.waitForOrder(customer, {
        timeoutMs: 30_000,
        ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at,
      })
      expect(order.total).toBe(cart.total)
      expect(order.payment_collections[0].payments[0].captures).toHaveLength(1)
    })

    it("places no order from a forged event (Medusa's route answers 200 before anything is verified)", async () => {
      const { customer, intentId } = await authorizedStripeCart()
      const body = stripe.payloadOf(stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"))
      const response = await fetch(`${client.baseUrl}/hooks/payment/stripe_stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signStripePayload({ payload: body, secret: "whsec_forged" }) },
        body,
      })
      expect(response.status).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, PAST_MEDUSA_DELAY_MS))
      expect(await client.orderByEmail(customer)).toBeUndefined()
    })
  },
})
