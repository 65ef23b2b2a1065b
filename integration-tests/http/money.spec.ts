import Stripe from "stripe"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { storeMarker } from "../../src/lib/store-marker"
import { FakeYoco } from "../../src/testing"
import { messageIdOf } from "../../src/testing/yoco"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { Checkouts } from "../support/checkouts"
import { withDatabase } from "../support/database"
import { rowOfEvent, settledRowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import type { SeededStore } from "../support/seed"
import { seededClient } from "../support/seeded-client"
import type { AdminOrder, StoreClient } from "../support/store-client"

jest.setTimeout(180_000)

const STRIPE_SECRET = "whsec_money_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)

const sum = (rows: Array<{ amount: number | string }> | undefined) => (rows ?? []).reduce((total, row) => total + Number(row.amount), 0)
const capturedOf = (order: AdminOrder | undefined) => sum(order?.payment_collections[0]?.payments[0]?.captures)
const refundedOf = (order: AdminOrder | undefined) => sum(order?.payment_collections[0]?.payments[0]?.refunds)

/**
 * Everyday payment flows, each as a store lives it: what Medusa books (captured, refunded, the
 * order) must equal what the PSP did, no money moves twice at the PSP, and a payment taken that
 * cannot become an order is reported, never silent.
 */
medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let seeded: SeededStore
    let client: StoreClient
    let checkouts: Checkouts
    const attention: Array<Record<string, unknown>> = []
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      ;({ seeded, client } = store)
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "money")
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe("payment-webhooks.payment_needs_attention", async (event) => {
          attention.push(event.data as Record<string, unknown>)
        })
    })

    const hook = (key: string) => `${client.baseUrl}/hooks/payment/${key}`
    const stripeClient = () => new Stripe("sk_test_integration", { ...stripe.clientConfig(), maxNetworkRetries: 0 })

    async function sessionStatus(sessionId: string): Promise<string | undefined> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const {
        data: [session],
      } = await query.graph({ entity: "payment_session", fields: ["status"], filters: { id: sessionId }, withDeleted: true })
      return session?.status
    }

    async function sessionKept(sessionId: string): Promise<boolean> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "payment_session", fields: ["id"], filters: { id: sessionId } })
      return data.length === 1
    }

    async function deliverStripe(key: string, intentId: string, type: string) {
      const event = stripe.eventFor(intentId, type)
      expect((await stripe.deliver(hook(key), event, { secret: STRIPE_SECRET })).status).toBe(200)
      return settledRowOfEvent(inbox(), key, event.id)
    }

    /** A cart paid with automatic capture at Stripe, its succeeded event processed into an order. */
    async function capturedAutoOrder() {
      const { email, session } = await checkouts.cart("pp_stripe_auto")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      await deliverStripe("stripe_auto", intentId, "payment_intent.succeeded")
      const order = await client.waitForOrder(email)
      return { email, intentId, paymentId: order.payment_collections[0].payments[0].id }
    }

    it("1. a partial capture in the Stripe dashboard is booked once, for what Stripe captured", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      await deliverStripe("stripe_stripe", intentId, "payment_intent.amount_capturable_updated")
      await client.waitForOrder(email)

      stripe.succeed(intentId, 1000) // 10.00 of 25.00, captured in the dashboard
      const row = await deliverStripe("stripe_stripe", intentId, "payment_intent.succeeded")
      expect(row).toMatchObject({ status: "processed" })
      // The job and a replay run the same processor again: nothing more is booked.
      await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { olderThanSeconds: 0, reconcile: false } })
      const replay = await client.admin<{ result: { status: string } }>("POST", `/admin/payment-webhooks/${row?.id}/replay`)
      expect(replay.result.status).toBe("processed")

      const order = await client.orderByEmail(email)
      expect(capturedOf(order)).toBe(10)
      expect(order?.payment_collections[0].payments[0].captures).toHaveLength(1)
      expect(stripe.intent(intentId).amount_received).toBe(1000)
      expect(stripe.captureCount(intentId)).toBe(1)
    })

    it("1. a partial capture in the dashboard before the late authorization is processed is still booked for what Stripe captured", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      const authorized = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      stripe.succeed(intentId, 1000) // captured in part before the store processed anything
      expect((await stripe.deliver(hook("stripe_stripe"), authorized, { secret: STRIPE_SECRET })).status).toBe(200)
      await settledRowOfEvent(inbox(), "stripe_stripe", authorized.id)
      await deliverStripe("stripe_stripe", intentId, "payment_intent.succeeded")
      const order = await client.waitForOrder(email, { ready: (o) => capturedOf(o) > 0 })
      expect(capturedOf(order)).toBe(10)
      expect(stripe.intent(intentId).amount_received).toBe(1000)
    })

    it("2. a cart changed after the customer paid keeps its paid session: Medusa books what Stripe took", async () => {
      const { email, cart: paidCart, session } = await checkouts.cart("pp_stripe_auto")
      const intentId = String(session.data.id)
      stripe.authorize(intentId) // automatic capture: succeeded
      // Before the webhook arrives the customer adds an item: Medusa tries to delete the paid session.
      await client
        .store("POST", `/store/carts/${paidCart.id}/line-items`, { variant_id: seeded.variantId, quantity: 1 })
        .catch(() => undefined)
      expect(stripe.intent(intentId).status).toBe("succeeded")
      expect(
        stripe.requests.filter((request) => request.path === `/v1/payment_intents/${intentId}/cancel` && request.status === 200),
      ).toHaveLength(0)

      // The provider refused to cancel a succeeded intent, so Medusa kept the session: the webhook makes the order.
      const row = await deliverStripe("stripe_auto", intentId, "payment_intent.succeeded")
      expect(row).toMatchObject({ status: "processed" })
      const order = await client.waitForOrder(email)
      expect(capturedOf(order)).toBe(stripe.intent(intentId).amount_received / 100)
      expect(stripe.intent(intentId).amount_received).toBe(2500)
    })

    it("2. (Yoco) a paid checkout is never deleted with its session: the payment still becomes an order", async () => {
      const { email, cart: paidCart, session } = await checkouts.cart("pp_yoco_yoco")
      const checkoutId = String(session.data.checkout_id)
      const { event } = await yoco.pay(checkoutId, { deliverTo: [] })
      await client
        .store("POST", `/store/carts/${paidCart.id}/line-items`, { variant_id: seeded.variantId, quantity: 1 })
        .catch(() => undefined)
      expect(await sessionKept(session.id)).toBe(true)

      await yoco.deliver(hook("yoco_yoco"), event)
      const row = await settledRowOfEvent(inbox(), "yoco_yoco", messageIdOf(event))
      expect(row).toMatchObject({ status: "processed" })
      const order = await client.waitForOrder(email, { ready: (o) => capturedOf(o) > 0 })
      expect(capturedOf(order)).toBe(yoco.checkout(checkoutId).amount / 100)
    })

    /** The payment session as the database holds it, deleted or not; undefined once Medusa deleted the row itself. */
    async function sessionRow(sessionId: string) {
      return withDatabase(
        dbConfig.clientUrl,
        async (db) => (await db.query("SELECT id, deleted_at FROM payment_session WHERE id = $1", [sessionId])).rows[0],
      )
    }

    it("2. (Stripe) an authorization the cart change released is not reported when its late event arrives: no money is held", async () => {
      const { email, cart, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      const authorized = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const reported = attention.length
      // The customer changes the cart before the webhook is processed: Medusa deletes the session row,
      // and the provider cancels the intent at Stripe, which releases the hold on the card.
      await client.store("POST", `/store/carts/${cart.id}/line-items`, { variant_id: seeded.variantId, quantity: 1 })
      expect(await sessionRow(session.id)).toBeUndefined()
      expect(stripe.intent(intentId)).toMatchObject({ status: "canceled", amount_capturable: 0 })

      expect((await stripe.deliver(hook("stripe_stripe"), authorized, { secret: STRIPE_SECRET })).status).toBe(200)
      const row = await settledRowOfEvent(inbox(), "stripe_stripe", authorized.id)
      expect(row).toMatchObject({
        status: "ignored",
        needs_attention: false,
        last_error: expect.stringContaining("the PSP reports its payment canceled: no money is held"),
      })
      expect(attention.slice(reported)).toEqual([])
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("2. (Stripe) a paid intent whose session row is gone all the same is never silent: failed, logged and reported", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_auto")
      const intentId = String(session.data.id)
      stripe.authorize(intentId) // automatic capture: succeeded
      // The provider refuses to delete a paid session; the row removed by any other path (a script, another plugin) leaves no trace but the marker.
      await withDatabase(dbConfig.clientUrl, (db) => db.query("DELETE FROM payment_session WHERE id = $1", [session.id]))

      const row = await deliverStripe("stripe_auto", intentId, "payment_intent.succeeded")
      expect(row).toMatchObject({
        status: "failed",
        needs_attention: true,
        last_error: expect.stringContaining(`payment session ${session.id}, which this store created and has since deleted`),
      })
      expect(attention).toContainEqual(
        expect.objectContaining({ session_id: session.id, psp_reference: intentId, amount: 25, currency_code: "usd" }),
      )
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("2. (Yoco) a customer who pays on Yoco's page after the cart changed and Medusa deleted the session is never silent", async () => {
      const { email, cart, session } = await checkouts.cart("pp_yoco_yoco")
      const checkoutId = String(session.data.checkout_id)
      // Unpaid yet, so the provider lets Medusa delete the session; the hosted page stays open (Yoco cannot cancel it).
      await client.store("POST", `/store/carts/${cart.id}/line-items`, { variant_id: seeded.variantId, quantity: 1 })
      expect(await sessionRow(session.id)).toBeUndefined()

      const { event } = await yoco.pay(checkoutId, { deliverTo: [] })
      await yoco.deliver(hook("yoco_yoco"), event)
      const row = await settledRowOfEvent(inbox(), "yoco_yoco", messageIdOf(event))
      expect(row).toMatchObject({
        status: "failed",
        needs_attention: true,
        last_error: expect.stringContaining(`payment session ${session.id}, which this store created and has since deleted`),
      })
      expect(attention).toContainEqual(
        expect.objectContaining({
          session_id: session.id,
          psp_reference: checkoutId,
          amount: yoco.checkout(checkoutId).amount / 100,
          currency_code: "zar",
        }),
      )
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("2. a session soft-deleted (marked deleted, row kept) after the customer paid is reported the same way", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_auto")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      await withDatabase(dbConfig.clientUrl, (db) => db.query("UPDATE payment_session SET deleted_at = now() WHERE id = $1", [session.id]))

      const row = await deliverStripe("stripe_auto", intentId, "payment_intent.succeeded")
      expect(row).toMatchObject({
        status: "failed",
        needs_attention: true,
        last_error: expect.stringContaining(`payment session ${session.id}`),
      })
      expect(attention).toContainEqual(
        expect.objectContaining({ session_id: session.id, psp_reference: intentId, amount: 25, currency_code: "usd" }),
      )
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("2. a paid event for a session this store never created (another store or integration on the account) is ignored, with no alert", async () => {
      const stranger = `payses_${Date.now()}notours`
      const other = `payses_${Date.now()}otherstore`
      const reported = attention.length
      const foreign: Array<Record<string, string>> = [
        { session_id: stranger },
        { session_id: other, store_marker: storeMarker(["whsec_another_store"], other) },
      ]
      for (const metadata of foreign) {
        const intent = await stripeClient().paymentIntents.create({ amount: 2500, currency: "usd", metadata })
        stripe.authorize(intent.id) // automatic capture: succeeded
        const row = await deliverStripe("stripe_auto", intent.id, "payment_intent.succeeded")
        expect(row).toMatchObject({
          status: "ignored",
          needs_attention: false,
          last_error: `payment session ${metadata.session_id} does not exist in this store`,
        })
      }
      expect(attention.slice(reported)).toEqual([])
    })

    it("3. a decline, then the customer's successful retry on the same intent, becomes an order", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.fail(intentId)
      const declined = await deliverStripe("stripe_stripe", intentId, "payment_intent.payment_failed")
      expect(declined).toMatchObject({ status: "processed" })
      expect(await sessionStatus(session.id)).not.toBe("error")

      stripe.authorize(intentId) // the retry, on the same PaymentIntent
      await deliverStripe("stripe_stripe", intentId, "payment_intent.amount_capturable_updated")
      const order = await client.waitForOrder(email)
      expect(order.payment_collections[0].payments).toHaveLength(1)
    })

    it("4. a refund Stripe made while the store heard its call fail is booked from the webhook, once", async () => {
      const { email, intentId, paymentId } = await capturedAutoOrder()

      // Stripe refunds, but the store's call ends in an error: Medusa drops its own refund.
      stripe.failNext({ method: "POST", path: "/v1/refunds", status: 500, shouldRetry: false, afterRunning: true })
      await expect(client.admin("POST", `/admin/payments/${paymentId}/refund`, { amount: 10 })).rejects.toThrow()
      expect(refundedOf(await client.orderByEmail(email))).toBe(0)
      expect(stripe.refundsOf(intentId).map((refund) => refund.amount)).toEqual([1000])

      const row = await deliverStripe("stripe_auto", intentId, "charge.refunded")
      expect(row).toMatchObject({ status: "processed" })
      const after = await client.orderByEmail(email)
      expect(refundedOf(after)).toBe(10)
      expect(stripe.refundsOf(intentId)).toHaveLength(1)
    })

    it("5. reconciliation never completes an underpaid payment, at Stripe or at Yoco: failed and reported", async () => {
      const underpaid = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(underpaid.session.data.id)
      await stripeClient().paymentIntents.update(intentId, { amount: 100 }) // the customer paid 1.00, not 25.00
      stripe.authorize(intentId)

      const yocoUnderpaid = await checkouts.cart("pp_yoco_yoco")
      const response = await fetch(`${yoco.url}/checkouts`, {
        method: "POST",
        headers: { authorization: `Bearer ${FakeYoco.TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ amount: 200, currency: "ZAR", metadata: { session_id: yocoUnderpaid.session.id } }),
      })
      const cheap = (await response.json()) as { id: string }
      await yoco.pay(cheap.id, { deliverTo: [] })
      // The session points at a checkout of R2.00 (paid) while it is for R25.00.
      await withDatabase(dbConfig.clientUrl, (db) =>
        db.query("UPDATE payment_session SET data = jsonb_set(data, '{checkout_id}', to_jsonb($1::text)) WHERE id = $2", [
          cheap.id,
          yocoUnderpaid.session.id,
        ]),
      )

      await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcileAfterSeconds: 0 } })
      for (const { email, session } of [underpaid, yocoUnderpaid]) {
        const [row] = await inbox().listPaymentWebhookEvents({ session_id: session.id, source: "reconciliation" })
        expect([session.id, row?.status, row?.last_error]).toEqual([
          session.id,
          "failed",
          expect.stringContaining("differs from the session's"),
        ])
        expect(await client.orderByEmail(email)).toBeUndefined()
        expect(attention).toContainEqual(expect.objectContaining({ session_id: session.id }))
      }
    })

    it("6. a live-mode event on a store running test keys is ignored, whatever it carries", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      const event = { ...stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"), livemode: true }
      expect((await stripe.deliver(hook("stripe_stripe"), JSON.stringify(event), { secret: STRIPE_SECRET })).status).toBe(200)
      const row = await settledRowOfEvent(inbox(), "stripe_stripe", event.id)
      expect(row).toMatchObject({ status: "ignored", last_error: "a live-mode event on a store using a test-mode key" })
      expect(await client.orderByEmail(email)).toBeUndefined()
      expect(await rowOfEvent(inbox(), "stripe_stripe", event.id)).toMatchObject({ attempts: 1 })
    })
  },
})
