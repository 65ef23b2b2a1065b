import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Client } from "pg"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { signStripePayload } from "../../src/lib/signatures/stripe"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { createAdminSecret } from "../support/admin-key"
import { usePspFakes } from "../support/psp-fakes"
import { seedStore, type SeededStore } from "../support/seed"
import { StoreClient } from "../support/store-client"

jest.setTimeout(180_000)

const STRIPE_SECRET = "whsec_inbox_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)
/** Long enough for the built-in route's 5 s delay and its processing. */
const PAST_CORE_DELAY_MS = 8_000

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let seeded: SeededStore
    let client: StoreClient
    let emails = 0
    const emitted: string[] = []

    beforeAll(async () => {
      seeded = await seedStore(getContainer())
      client = new StoreClient(api.defaults.baseURL, seeded.publishableKey, await createAdminSecret(getContainer()))
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      eventBus.subscribe("payment.webhook_received", async (event) => {
        emitted.push(JSON.stringify(event.data))
      })
    })

    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const stripeUrl = () => `${client.baseUrl}/hooks/payment/stripe_stripe`
    const rowsOf = (sessionId: string) => inbox().listPaymentWebhookEvents({ session_id: sessionId })
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    async function stripeCart() {
      const email = `inbox-${++emails}-${Date.now()}@example.com`
      const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email })
      const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
      return { email, cart, session, intentId: String(session.data.id) }
    }

    async function post(url: string, body: string, headers: Record<string, string>) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
      return { status: response.status, text: await response.text() }
    }

    it("refuses forged, tampered, expired and unsigned deliveries with 400: no row, no event, no order", async () => {
      const { email, session, intentId } = await stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const body = stripe.payloadOf(event)
      const emittedBefore = emitted.length
      const answers = [
        await post(stripeUrl(), body, { "stripe-signature": signStripePayload({ payload: body, secret: "whsec_forged" }) }),
        await post(stripeUrl(), body.replace(`"amount_capturable": 2500`, `"amount_capturable": 1`), {
          "stripe-signature": signStripePayload({ payload: body, secret: STRIPE_SECRET }),
        }),
        await post(stripeUrl(), body, {
          "stripe-signature": signStripePayload({ payload: body, secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
        }),
        await post(stripeUrl(), body, {}),
      ]
      expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400])
      expect(answers[0].text).toContain("No Stripe-Signature v1 signature matches")
      expect(answers[2].text).toContain("outside the 300s tolerance")
      expect(answers[3].text).toContain("Missing Stripe-Signature header")
      await sleep(PAST_CORE_DELAY_MS)
      expect(await rowsOf(session.id)).toHaveLength(0)
      expect(emitted.length).toBe(emittedBefore)
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("processes an event delivered 10 times at once, then retried with a fresh signature, exactly once", async () => {
      const { email, session, intentId } = await stripeCart()
      stripe.authorize(intentId)
      stripe.succeed(intentId) // captured from the Stripe dashboard: Stripe sends payment_intent.succeeded
      const event = stripe.eventFor(intentId, "payment_intent.succeeded")
      const emittedBefore = emitted.length
      const answers = await Promise.all(Array.from({ length: 10 }, () => stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })))
      expect(answers.every((answer) => answer.status === 200)).toBe(true)
      expect(answers.filter((answer) => answer.body.includes("duplicate"))).toHaveLength(9)

      const order = await client.waitForOrder(email, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
      const retry = await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) })
      expect(retry.status).toBe(200)
      expect(retry.body).toContain("duplicate")
      await sleep(PAST_CORE_DELAY_MS)

      expect(emitted.length - emittedBefore).toBe(1)
      expect(await rowsOf(session.id)).toHaveLength(1)
      expect(stripe.captureCount(intentId)).toBe(1)
      const again = await client.orderByEmail(email)
      expect(again?.id).toBe(order.id)
      expect(again?.payment_collections[0].payments).toHaveLength(1)
      expect(again?.payment_collections[0].payments[0].captures).toHaveLength(1)

      await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { olderThanSeconds: 0, reconcile: false } })
      const [row] = await rowsOf(session.id)
      expect(row).toMatchObject({ status: "processed", event_type: "payment_intent.succeeded", action: "captured", provider_id: "stripe_stripe" })
      // Every delivery is visible: one row, eleven deliveries.
      expect(row.deliveries).toBe(11)
    })

    it("answers 503 while the inbox cannot be written, and completes the cart on the PSP's next delivery", async () => {
      const { email, session, intentId } = await stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const blocker = new Client({ connectionString: dbConfig.clientUrl })
      await blocker.connect()
      try {
        await blocker.query("BEGIN")
        await blocker.query("LOCK TABLE payment_webhook_event IN ACCESS EXCLUSIVE MODE")
        const refused = await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })
        expect(refused.status).toBe(503)
      } finally {
        await blocker.query("ROLLBACK")
        await blocker.end()
      }
      await sleep(PAST_CORE_DELAY_MS)
      expect(await client.orderByEmail(email)).toBeUndefined()
      expect(await rowsOf(session.id)).toHaveLength(0)

      const retried = await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })
      expect(retried.status).toBe(200)
      await client.waitForOrder(email)
      expect(await rowsOf(session.id)).toHaveLength(1)
    })

    it("turns succeeded-before-authorized into one order with a captured payment", async () => {
      const { email, session, intentId } = await stripeCart()
      stripe.authorize(intentId)
      const authorized = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      stripe.succeed(intentId)
      const succeeded = stripe.eventFor(intentId, "payment_intent.succeeded")
      expect((await stripe.deliver(stripeUrl(), succeeded, { secret: STRIPE_SECRET })).status).toBe(200)
      const order = await client.waitForOrder(email, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
      expect((await stripe.deliver(stripeUrl(), authorized, { secret: STRIPE_SECRET })).status).toBe(200)
      await sleep(PAST_CORE_DELAY_MS)
      const after = await client.orderByEmail(email)
      expect(after?.id).toBe(order.id)
      expect(after?.payment_collections[0].payments).toHaveLength(1)
      expect(after?.payment_collections[0].payments[0].captured_at).not.toBeNull()
      expect(stripe.captureCount(intentId)).toBe(1)

      await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { olderThanSeconds: 0, reconcile: false } })
      const statuses = (await rowsOf(session.id)).map((row) => row.status)
      expect(statuses).toEqual(["processed", "processed"])
    })

    it("re-drives a recorded event whose processing was lost", async () => {
      const { email, session, intentId } = await stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      // As if the process died after answering 200: the row exists, the in-memory event is gone.
      await inbox().recordDelivery({
        provider_id: "stripe_stripe", event_id: event.id, event_type: event.type, session_id: session.id,
        action: "authorized", amount: 25, currency_code: "usd", status: "received", source: "webhook",
        last_error: null, body_hash: "lost", details: null, raw_body: null,
      })
      const { result } = await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { olderThanSeconds: 0, reconcile: false } })
      expect(result.redriven.processed).toBeGreaterThanOrEqual(1)
      await client.waitForOrder(email)
      const [row] = await rowsOf(session.id)
      expect(row).toMatchObject({ status: "processed", attempts: 1 })
    })

    it("never hands one event to two re-drive passes running at once", async () => {
      const ids: string[] = []
      for (let index = 0; index < 6; index++) {
        const { id } = await inbox().recordDelivery({
          provider_id: "stripe_stripe", event_id: `evt_parallel_${index}_${Date.now()}`, event_type: "payment_intent.succeeded",
          session_id: `payses_missing_${index}`, action: "captured", amount: 1, currency_code: "usd", status: "received",
          source: "webhook", last_error: null, body_hash: "x", details: null, raw_body: null,
        })
        ids.push(id)
      }
      const [first, second] = await Promise.all([
        inbox().claimDue({ olderThanSeconds: 0, ids }),
        inbox().claimDue({ olderThanSeconds: 0, ids }),
      ])
      const claimed = [...first, ...second].map((row) => row.id).sort()
      expect(claimed).toEqual([...ids].sort())
      // Leased: a third pass right after finds nothing due.
      expect(await inbox().claimDue({ olderThanSeconds: 0, ids })).toHaveLength(0)
    })

    it("reconciles paid sessions whose webhook never came, at Stripe and at Yoco", async () => {
      const stripeCheckout = await stripeCart()
      stripe.authorize(stripeCheckout.intentId)

      const yocoEmail = `inbox-yoco-${Date.now()}@example.com`
      const zar = seeded.markets.zar
      const yocoCart = await client.cartReadyToPay({ ...zar, variantId: seeded.variantId, email: yocoEmail })
      const { session: yocoSession } = await client.startPayment(yocoCart.id, "pp_yoco_yoco")
      await yoco.pay(String(yocoSession.data.checkout_id))

      const { result } = await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcileAfterSeconds: 0 } })
      expect(result.reconciled?.paid).toBe(2)
      const stripeOrder = await client.waitForOrder(stripeCheckout.email)
      const yocoOrder = await client.waitForOrder(yocoEmail, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
      expect(stripeOrder.total).toBe(stripeCheckout.cart.total)
      expect(yocoOrder.total).toBe(yocoCart.total)
      const [stripeRow] = await rowsOf(stripeCheckout.session.id)
      expect(stripeRow).toMatchObject({ source: "reconciliation", status: "processed", action: "authorized" })
      const [yocoRow] = await rowsOf(yocoSession.id)
      expect(yocoRow).toMatchObject({ source: "reconciliation", status: "processed", action: "captured" })

      // A second pass finds nothing more to do.
      const { result: second } = await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcileAfterSeconds: 0 } })
      expect(second.reconciled?.paid).toBe(0)
    })
  },
})
