import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { signStripePayload } from "../../src/providers/stripe/signature"
import type { FakeStripeEvent } from "../../src/testing"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { Checkouts } from "../support/checkouts"
import { withDatabase } from "../support/database"
import { rowOfEvent, settledRowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { StoreClient } from "../support/store-client"

jest.setTimeout(180_000)

const STRIPE_SECRET = "whsec_inbox_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)
const STRIPE = "stripe_stripe"

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let client: StoreClient
    let checkouts: Checkouts
    const announced: string[] = []
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "inbox")
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe("payment-webhooks.delivery_recorded", async (event) => {
          announced.push(String((event.data as { id: string }).id))
        })
    })

    const stripeUrl = () => checkouts.stripeHook
    const rowsOf = (sessionId: string) => inbox().listPaymentWebhookEvents({ session_id: sessionId }, { order: { received_at: "ASC" } })
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    async function post(url: string, body: string, headers: Record<string, string>) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
      return { status: response.status, text: await response.text() }
    }

    /** Records an event as the edge does, without announcing it: as if the process died right after its 200. */
    async function recordUnannounced(event: FakeStripeEvent) {
      const body = stripe.payloadOf(event)
      return inbox().recordDelivery({
        provider_id: STRIPE,
        event_id: event.id,
        event_type: event.type,
        source: "webhook",
        body_hash: "test",
        raw_body: body,
      })
    }

    it("refuses forged, tampered, expired and unsigned deliveries with 400: nothing recorded, no order", async () => {
      const { email, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const body = stripe.payloadOf(event)
      const answers = [
        await post(stripeUrl(), body, { "stripe-signature": signStripePayload({ payload: body, secret: "whsec_forged" }) }),
        await post(stripeUrl(), body.replace(`"amount_capturable": 2500`, `"amount_capturable": 1`), {
          "stripe-signature": signStripePayload({ payload: body, secret: STRIPE_SECRET }),
        }),
        await post(stripeUrl(), body, {
          "stripe-signature": signStripePayload({ payload: body, secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
        }),
        await post(stripeUrl(), body, {}),
        await post(stripeUrl(), `{"hello":"world"}`, {
          "stripe-signature": signStripePayload({ payload: `{"hello":"world"}`, secret: STRIPE_SECRET }),
        }),
      ]
      expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400])
      expect(answers.map((answer) => JSON.parse(answer.text).reason)).toEqual([
        "no_matching_signature",
        "no_matching_signature",
        "timestamp_outside_tolerance",
        "missing_header",
        "malformed_body",
      ])
      await sleep(3_000)
      expect(await rowOfEvent(inbox(), STRIPE, event.id)).toBeUndefined()
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("processes an event delivered 10 times at once, then retried with a fresh signature, exactly once", async () => {
      const { email, session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      stripe.succeed(intentId) // captured from the Stripe dashboard: Stripe sends payment_intent.succeeded
      const event = stripe.eventFor(intentId, "payment_intent.succeeded")
      const announcedBefore = announced.length
      const answers = await Promise.all(Array.from({ length: 10 }, () => stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })))
      expect(answers.every((answer) => answer.status === 200)).toBe(true)
      expect(answers.filter((answer) => answer.body.includes("duplicate"))).toHaveLength(9)

      const row = await settledRowOfEvent(inbox(), STRIPE, event.id)
      const order = await client.waitForOrder(email)
      const retry = await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) })
      expect(retry.status).toBe(200)
      expect(retry.body).toContain("duplicate")

      expect(announced.length - announcedBefore).toBe(1)
      expect(row).toMatchObject({ status: "processed", event_type: "payment_intent.succeeded", action: "captured", session_id: session.id })
      expect(row?.outcome).toMatchObject({ order_id: order.id, ran_workflow: true })
      expect(stripe.captureCount(intentId)).toBe(1)
      expect(order.payment_collections[0].payments[0].captures).toHaveLength(1)
      // Every delivery is visible: one row, eleven deliveries.
      expect((await rowOfEvent(inbox(), STRIPE, event.id))?.deliveries).toBe(11)
    })

    it("answers 503 while the inbox cannot be written, and completes the cart on the PSP's next delivery", async () => {
      const { email, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      await withDatabase(dbConfig.clientUrl, async (blocker) => {
        await blocker.query("BEGIN")
        await blocker.query("LOCK TABLE payment_webhook_event IN ACCESS EXCLUSIVE MODE")
        const refused = await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })
        await blocker.query("ROLLBACK")
        expect(refused.status).toBe(503)
      })
      await sleep(3_000)
      expect(await client.orderByEmail(email)).toBeUndefined()
      expect(await rowOfEvent(inbox(), STRIPE, event.id)).toBeUndefined()

      const retried = await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })
      expect(retried.status).toBe(200)
      await client.waitForOrder(email)
      expect(await settledRowOfEvent(inbox(), STRIPE, event.id)).toMatchObject({ status: "processed" })
    })

    it("turns succeeded-before-authorized into one order with a payment captured once", async () => {
      const { email, session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const authorized = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      stripe.succeed(intentId)
      const succeeded = stripe.eventFor(intentId, "payment_intent.succeeded")
      expect((await stripe.deliver(stripeUrl(), succeeded, { secret: STRIPE_SECRET })).status).toBe(200)
      await settledRowOfEvent(inbox(), STRIPE, succeeded.id)
      expect((await stripe.deliver(stripeUrl(), authorized, { secret: STRIPE_SECRET })).status).toBe(200)
      const late = await settledRowOfEvent(inbox(), STRIPE, authorized.id)
      expect(late).toMatchObject({ status: "processed" })
      expect(late?.outcome).toMatchObject({ ran_workflow: false })
      const order = await client.waitForOrder(email)
      expect(order.payment_collections[0].payments).toHaveLength(1)
      expect(order.payment_collections[0].payments[0].captures).toHaveLength(1)
      expect(stripe.captureCount(intentId)).toBe(1)
      expect((await rowsOf(session.id)).map((row) => row.status)).toEqual(["processed", "processed"])
    })

    it("takes up a recorded event whose processing was lost, even ten minutes after it was signed", async () => {
      const { email, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const { id } = await recordUnannounced(event)
      // Received (and signed) ten minutes ago; the processor never checks a signature's age again.
      await withDatabase(dbConfig.clientUrl, (db) =>
        db.query("UPDATE payment_webhook_event SET received_at = now() - interval '10 minutes' WHERE id = $1", [id]),
      )
      const { result } = await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcile: false } })
      expect(result.redriven.processed).toBeGreaterThanOrEqual(1)
      const order = await client.waitForOrder(email)
      expect(await rowOfEvent(inbox(), STRIPE, event.id)).toMatchObject({
        status: "processed",
        attempts: 1,
        outcome: { order_id: order.id },
      })
    })

    it("lets one processor claim an event that two take up at once", async () => {
      const { email, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const { id } = await recordUnannounced(stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"))
      const results = await Promise.all([processDelivery(getContainer(), id), processDelivery(getContainer(), id)])
      expect(results.map((result) => result.status).sort()).toEqual(["processed", "skipped"])
      const order = await client.waitForOrder(email)
      expect(order.payment_collections[0].payments).toHaveLength(1)
    })

    it("gives up, as failed with the reason, on an event claimed more often than maxAttempts without ever settling", async () => {
      const { intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const { id } = await recordUnannounced(event)
      // Eight claims whose processes died: the ninth must not start the work again.
      await withDatabase(dbConfig.clientUrl, (db) => db.query("UPDATE payment_webhook_event SET attempts = 8 WHERE id = $1", [id]))
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "failed" })
      expect(await rowOfEvent(inbox(), STRIPE, event.id)).toMatchObject({
        status: "failed",
        last_error: expect.stringContaining("gave up after 8 attempts"),
      })
    })

    it("never records a refund twice when a claim's lease runs out while its PSP call hangs", async () => {
      const { email, intentId } = await checkouts.capturedStripeOrder()
      stripe.refundFromDashboard(intentId, 700)
      const { id } = await recordUnannounced(stripe.eventFor(intentId, "charge.refunded"))
      stripe.delayNext({ method: "GET", path: "/v1/refunds", ms: 3_000 })

      // The first processor hangs on Stripe and its lease runs out (as when its process stalls and stops
      // renewing it): a second one takes the row meanwhile.
      const first = processDelivery(getContainer(), id)
      await sleep(1_000)
      await withDatabase(dbConfig.clientUrl, (db) =>
        db.query("UPDATE payment_webhook_event SET lease_until = now() - interval '1 second' WHERE id = $1", [id]),
      )
      const second = await processDelivery(getContainer(), id)
      const results = [await first, second].map((result) => result.status).sort()
      expect(results).toEqual(["claim_lost", "processed"])

      const order = await client.waitForOrder(email)
      const refunds = order.payment_collections[0].payments[0].refunds ?? []
      expect(refunds.map((refund) => Number(refund.amount))).toEqual([7])
      expect(stripe.requests.filter((request) => request.method === "POST" && request.path === "/v1/refunds")).toHaveLength(0)
    })

    it("answers at once while Stripe takes 20 s to answer what the event needs", async () => {
      const { email, intentId } = await checkouts.capturedStripeOrder()
      stripe.refundFromDashboard(intentId, 300)
      const refunded = stripe.eventFor(intentId, "charge.refunded")
      stripe.delayNext({ method: "GET", path: "/v1/refunds", ms: 20_000 })
      const answeredBefore = stripe.requests.length

      const answer = await stripe.deliver(stripeUrl(), refunded, { secret: STRIPE_SECRET })
      expect(answer.status).toBe(200)
      // Stripe has answered nothing since: the acknowledgement waited for no Stripe call.
      expect(stripe.requests.slice(answeredBefore).filter((request) => request.path === "/v1/refunds")).toHaveLength(0)

      const row = await settledRowOfEvent(inbox(), STRIPE, refunded.id, 90_000)
      expect(row).toMatchObject({ status: "processed" })
      const order = await client.waitForOrder(email)
      expect((order.payment_collections[0].payments[0].refunds ?? []).map((refund) => Number(refund.amount))).toEqual([3])
    })

    it("records correctly signed events it cannot use as ignored with the reason, answering 200 so Stripe stops", async () => {
      const { email, session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      stripe.succeed(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.succeeded")
      const intent = event.data.object as Record<string, unknown>
      const variants: Array<[string, Record<string, unknown>]> = [
        ["no data", { ...event, id: `${event.id}_nodata`, data: undefined }],
        ["data null", { ...event, id: `${event.id}_null`, data: null }],
        ["amount a string", { ...event, id: `${event.id}_str`, data: { object: { ...intent, amount_received: "2500" } } }],
        ["amount 1e308", { ...event, id: `${event.id}_huge`, data: { object: { ...intent, amount_received: 1e308 } } }],
        ["amount fractional", { ...event, id: `${event.id}_frac`, data: { object: { ...intent, amount_received: 25.5 } } }],
        ["currency a number", { ...event, id: `${event.id}_cur`, data: { object: { ...intent, currency: 840 } } }],
        [
          "NUL in the session id",
          { ...event, id: `${event.id}_nul`, data: { object: { ...intent, metadata: { session_id: `${session.id}\u0000x` } } } },
        ],
      ]
      const capturedAtStripe = stripe.captureCount(intentId)
      const answers = await Promise.all(
        variants.map(([, body]) => stripe.deliver(stripeUrl(), JSON.stringify(body), { secret: STRIPE_SECRET })),
      )
      expect(answers.map((answer) => answer.status)).toEqual(variants.map(() => 200))
      for (const [what, body] of variants) {
        const row = await settledRowOfEvent(inbox(), STRIPE, String(body.id))
        expect([what, row?.status, row?.attempts]).toEqual([what, "ignored", 1])
        expect(row?.last_error).toBeTruthy()
      }
      expect(stripe.captureCount(intentId)).toBe(capturedAtStripe)
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("stores an event whose signed id holds a NUL character, without failing deliveries recorded beside it", async () => {
      const { email, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const good = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const nul = { ...good, id: `${good.id}\u0000nul`, type: "payment_intent.unknown\u0000" }
      const [nulAnswer, goodAnswer] = await Promise.all([
        stripe.deliver(stripeUrl(), JSON.stringify(nul), { secret: STRIPE_SECRET }),
        stripe.deliver(stripeUrl(), good, { secret: STRIPE_SECRET }),
      ])
      expect([nulAnswer.status, goodAnswer.status]).toEqual([200, 200])
      await client.waitForOrder(email)
      expect(await settledRowOfEvent(inbox(), STRIPE, `${good.id}\uFFFDnul`)).toMatchObject({ status: "ignored" })
      expect(await settledRowOfEvent(inbox(), STRIPE, good.id)).toMatchObject({ status: "processed" })
    })

    it("reconciles paid sessions whose webhook never came, at Stripe and at Yoco", async () => {
      const stripeCheckout = await checkouts.stripeCart()
      stripe.authorize(stripeCheckout.intentId)

      const { email: yocoEmail, cart: yocoCart, session: yocoSession } = await checkouts.cart("pp_yoco_yoco")
      await yoco.pay(String(yocoSession.data.checkout_id), { deliverTo: [] })

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

      // A second pass finds nothing more to do, and the checks never show up as deliveries.
      const { result: second } = await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcileAfterSeconds: 0 } })
      expect(second.reconciled?.paid).toBe(0)
      expect(await inbox().listPaymentWebhookEvents({ event_id: { $like: "check:%" } })).toHaveLength(0)
    })
  },
})
