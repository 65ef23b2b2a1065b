import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { signStripePayload } from "../../src/providers/stripe/signature"
import { storeMarker } from "../../src/lib/store-marker"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { SeededStore } from "../support/seed"
import { StoreClient } from "../support/store-client"
import { until } from "../support/until"

jest.setTimeout(120_000)

const WEBHOOK_SECRET = "whsec_integration_secret"
const { stripe } = usePspFakes(WEBHOOK_SECRET)

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let seeded: SeededStore
    let client: StoreClient
    let emails = 0

    beforeAll(async () => {
      ;({ seeded, client } = await seededClient(getContainer(), api.defaults.baseURL))
    })

    /**
     * The inbox row of a PSP event once it is no longer `received`. The re-drive job looks only
     * after 60 s here: anything within 10 s is the order/capture subscriber's doing.
     */
    async function settledRowOf(eventId: string) {
      const inbox = getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
      const [row] = await until(
        () => inbox.listPaymentWebhookEvents({ event_id: eventId }),
        ([first]) => !!first && first.status !== "received",
        `event ${eventId} settled`,
        10_000,
      )
      return row
    }

    /** A cart with a Stripe session whose PaymentIntent exists at the fake. */
    async function cartWithSession(providerId: string) {
      const email = `buyer-${++emails}-${Date.now()}@example.com`
      const usd = seeded.markets.usd
      const cart = await client.cartReadyToPay({ ...usd, variantId: seeded.variantId, email })
      const { session } = await client.startPayment(cart.id, providerId)
      return { email, cart, session, intentId: String(session.data.id) }
    }

    it("creates the PaymentIntent in minor units, linked to the session, with manual capture", async () => {
      const { cart, session, intentId } = await cartWithSession("pp_stripe_stripe")
      const intent = stripe.intent(intentId)
      expect(intent.amount).toBe(Math.round(cart.total * 100))
      expect(intent.currency).toBe("usd")
      expect(intent.capture_method).toBe("manual")
      expect(intent.metadata.session_id).toBe(session.id)
      // Only this store can make the marker: a paid event whose session Medusa has since deleted is still known as ours.
      expect(intent.metadata.store_marker).toBe(storeMarker([WEBHOOK_SECRET], session.id))
      expect(session.data.client_secret).toEqual(expect.stringContaining("_secret_"))
    })

    it("completes the cart from a signed amount_capturable_updated, then captures exactly once from the admin", async () => {
      const { email, cart, intentId } = await cartWithSession("pp_stripe_stripe")
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const delivery = await stripe.deliver(`${client.baseUrl}/hooks/payment/stripe_stripe`, event, { secret: WEBHOOK_SECRET })
      expect(delivery.status).toBe(200)

      // The order is created a moment before its payment is linked: wait for both.
      const order = await client.waitForOrder(email, { ready: (o) => !!o.payment_collections[0]?.payments[0] })
      expect(order.total).toBe(cart.total)
      const [payment] = order.payment_collections[0].payments
      expect(payment.captured_at).toBeNull()
      expect(stripe.captureCount(intentId)).toBe(0)
      // Done as soon as the order is placed, not when the re-drive job next looks.
      expect((await settledRowOf(event.id)).status).toBe("processed")

      await client.admin("POST", `/admin/payments/${payment.id}/capture`, {})
      expect(stripe.captureCount(intentId)).toBe(1)
      expect(stripe.intent(intentId).status).toBe("succeeded")
      // A second capture from the admin (a double click, a retried request) must not reach Stripe again.
      const again = await client
        .admin<{ payment: { captures: unknown[] } }>("POST", `/admin/payments/${payment.id}/capture`, {})
        .catch(() => undefined)
      expect(again?.payment.captures ?? [1]).toHaveLength(1)
      expect(stripe.captureCount(intentId)).toBe(1)
    })

    it("completes the cart with a captured payment from payment_intent.succeeded under auto-capture", async () => {
      const { email, cart, intentId } = await cartWithSession("pp_stripe_auto")
      expect(stripe.intent(intentId).capture_method).toBe("automatic")
      stripe.authorize(intentId)
      expect(stripe.intent(intentId).status).toBe("succeeded")
      const event = stripe.eventFor(intentId, "payment_intent.succeeded")
      const delivery = await stripe.deliver(`${client.baseUrl}/hooks/payment/stripe_auto`, event, { secret: WEBHOOK_SECRET })
      expect(delivery.status).toBe(200)

      const order = await client.waitForOrder(email, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
      expect(order.total).toBe(cart.total)
      expect(order.payment_collections[0].payments[0].captured_at).not.toBeNull()
      // The intent was captured by Stripe at payment time; Medusa must not have asked for a second capture.
      expect(stripe.requests.filter((request) => request.path === `/v1/payment_intents/${intentId}/capture`)).toHaveLength(0)
      expect((await settledRowOf(event.id)).status).toBe("processed")
    })

    it("never completes a cart from a forged or tampered event", async () => {
      const { email, intentId } = await cartWithSession("pp_stripe_stripe")
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const url = `${client.baseUrl}/hooks/payment/stripe_stripe`
      await stripe.deliver(url, event, { secret: "whsec_forged_by_someone_else" })
      const tampered = JSON.parse(JSON.stringify(event))
      tampered.data.object.amount_capturable = 1
      const header = signStripePayload({ payload: JSON.stringify(event), secret: WEBHOOK_SECRET })
      await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": header },
        body: JSON.stringify(tampered),
      })
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) })

      // The built-in route waits 5 s before processing; give it well past that.
      await new Promise((resolve) => setTimeout(resolve, 8_000))
      expect(await client.orderByEmail(email)).toBeUndefined()
    })
  },
})
