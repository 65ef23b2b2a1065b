import Stripe from "stripe"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { FakeYoco } from "../../src/testing"
import { messageIdOf } from "../../src/testing/yoco"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { Checkouts } from "../support/checkouts"
import { rowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { AdminOrder, StoreClient } from "../support/store-client"
import { until } from "../support/until"

jest.setTimeout(240_000)

const STRIPE_SECRET = "whsec_races_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)
// Retries come due after a second, and a claim or lock held past 3 s without renewal would be taken over.
Object.assign(process.env, { PAYMENT_WEBHOOKS_REDRIVE_AFTER_SECONDS: "0", PAYMENT_WEBHOOKS_LEASE_SECONDS: "3" })

const sum = (rows: Array<{ amount: number | string }> | undefined) => (rows ?? []).reduce((total, row) => total + Number(row.amount), 0)
const paymentOf = (order: AdminOrder | undefined) => order?.payment_collections[0]?.payments[0]
const capturedOf = (order: AdminOrder | undefined) => sum(paymentOf(order)?.captures)
const refundedOf = (order: AdminOrder | undefined) => sum(paymentOf(order)?.refunds)

/**
 * The last money races and late turns: refunds in flight while their webhook arrives, refunds that
 * fail after they were booked, captures after the PSP moved money, events on another PSP object, an
 * authorization that expires. Each test compares Medusa's captured and refunded totals with the fake
 * PSP's own record, counts the fake's money calls, and checks that no money problem is silent.
 */
medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let client: StoreClient
    let checkouts: Checkouts
    const emitted: Array<{ name: string; data: Record<string, unknown> }> = []
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "races")
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      for (const name of [
        "payment_needs_attention",
        "refund_failed",
        "refund_recorded",
        "payment_failed",
        "payment_canceled",
        "dispute_opened",
      ]) {
        eventBus.subscribe(`payment-webhooks.${name}`, async (event) => {
          emitted.push({ name, data: event.data as Record<string, unknown> })
        })
      }
    })

    const hook = (key: string) => `${client.baseUrl}/hooks/payment/${key}`
    const stripeClient = () => new Stripe("sk_test_integration", { ...stripe.clientConfig(), maxNetworkRetries: 0 })
    const eventsNamed = (name: string, sessionId: string) =>
      emitted.filter((event) => event.name === name && event.data.session_id === sessionId).map((event) => event.data)
    const refundCallsFor = (intentId: string) =>
      stripe.requests.filter(
        (request) => request.method === "POST" && request.path === "/v1/refunds" && request.body.payment_intent === intentId,
      )
    const stripeCalls = (path: RegExp) =>
      stripe.requests.filter((request) => request.method === "POST" && path.test(request.path) && request.status === 200)

    /** Runs the processor over due rows (as the job does) until the event's row has settled; retries come due after a second. */
    async function settled(providerKey: string, eventId: string) {
      return until(
        async () => {
          await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { olderThanSeconds: 0, reconcile: false } })
          return rowOfEvent(inbox(), providerKey, eventId)
        },
        (row) => !!row && row.status !== "received",
        `event ${eventId} settled`,
        90_000,
      )
    }

    async function deliverStripe(key: string, event: { id: string } & object) {
      expect((await stripe.deliver(hook(key), event as Parameters<typeof stripe.deliver>[1], { secret: STRIPE_SECRET })).status).toBe(200)
      return settled(key, event.id)
    }

    async function paymentData(paymentId: string): Promise<Record<string, unknown>> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const {
        data: [payment],
      } = await query.graph({ entity: "payment", fields: ["id", "data"], filters: { id: paymentId } })
      return payment.data ?? {}
    }

    /** A cart authorized at Stripe (manual capture), its authorization processed into an order. */
    async function authorizedStripeOrder() {
      const { email, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      await deliverStripe("stripe_stripe", stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"))
      const order = await client.waitForOrder(email)
      return { email, session, intentId, order, paymentId: String(paymentOf(order)?.id) }
    }

    /** A cart paid with automatic capture at Stripe, its succeeded event processed into an order. */
    async function capturedStripeOrder() {
      const { email, session } = await checkouts.cart("pp_stripe_auto")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      await deliverStripe("stripe_auto", stripe.eventFor(intentId, "payment_intent.succeeded"))
      const order = await client.waitForOrder(email, { ready: (o) => capturedOf(o) > 0 })
      return { email, session, intentId, paymentId: String(paymentOf(order)?.id) }
    }

    /** A cart paid on Yoco's page, its payment.succeeded processed into an order. */
    async function paidYocoOrder() {
      const { email, session } = await checkouts.cart("pp_yoco_yoco")
      const checkoutId = String(session.data.checkout_id)
      await yoco.pay(checkoutId, { deliverTo: hook("yoco_yoco") })
      const order = await client.waitForOrder(email, { ready: (o) => capturedOf(o) > 0 })
      return { email, session, checkoutId, paymentId: String(paymentOf(order)?.id) }
    }

    describe("refunds in flight", () => {
      it("1. (Yoco) an admin refund whose refund.succeeded beats Yoco's slow answer is booked once: R10 in Medusa, one refund at Yoco", async () => {
        const { email, checkoutId, paymentId } = await paidYocoOrder()
        // Yoco makes the refund at once but answers the store only 4 s later; its webhook comes meanwhile.
        yoco.delayNext(1, 4_000, { path: /\/refund$/, afterRunning: true })
        const refunding = client.admin("POST", `/admin/payments/${paymentId}/refund`, { amount: 10 })
        await until(
          async () => yoco.checkout(checkoutId).refunds.length,
          (count) => count === 1,
          "the refund made at Yoco",
        )
        const { event } = await yoco.refundSucceeded(checkoutId, { deliverTo: [] })
        expect((await yoco.deliver(hook("yoco_yoco"), event)).status).toBe(200)
        await refunding
        const row = await settled("yoco_yoco", messageIdOf(event))
        expect(row).toMatchObject({ status: "processed" })

        const order = await client.orderByEmail(email)
        expect(refundedOf(order)).toBe(10)
        expect(paymentOf(order)?.refunds).toHaveLength(1)
        expect(yoco.checkout(checkoutId).refunds.map((refund) => [refund.amount, refund.status])).toEqual([[1000, "succeeded"]])
        expect(yoco.requests.filter((request) => request.method === "POST" && /\/refund$/.test(request.path))).toHaveLength(1)
        // Neither side's copy of the payment's data overwrote the other's: Yoco's answer, then its webhook, are both on it.
        expect((await paymentData(paymentId)).refunds).toEqual([expect.objectContaining({ amount: 1000, status: "succeeded" })])
      })

      it("1. (Stripe) an admin refund whose webhook arrives before Stripe's answer is booked once, and Stripe refunds once", async () => {
        const { email, intentId, paymentId } = await capturedStripeOrder()
        // Stripe makes the refund at once but answers the store only 6 s later; its webhook comes meanwhile.
        stripe.delayNext({ method: "POST", path: "/v1/refunds", ms: 6_000, afterRunning: true })
        const refunding = client.admin("POST", `/admin/payments/${paymentId}/refund`, { amount: 10 })
        await until(
          async () => stripe.refundsOf(intentId).length,
          (count) => count === 1,
          "the refund made at Stripe",
        )
        const event = stripe.eventFor(intentId, "charge.refunded")
        expect((await stripe.deliver(hook("stripe_auto"), event, { secret: STRIPE_SECRET })).status).toBe(200)
        await refunding
        expect(await settled("stripe_auto", event.id)).toMatchObject({ status: "processed" })

        const order = await client.orderByEmail(email)
        expect(refundedOf(order)).toBe(10)
        expect(paymentOf(order)?.refunds).toHaveLength(1)
        expect(refundCallsFor(intentId)).toHaveLength(1)
        expect(stripe.refundsOf(intentId).map((refund) => refund.amount)).toEqual([1000])
      })

      it("2. (Stripe) a tagged refund whose Medusa call fails after Stripe made it is booked from its webhook once Medusa dropped its own row", async () => {
        const { email, intentId, paymentId } = await capturedStripeOrder()
        // Stripe refunds, takes 5 s, then the store hears its call fail: Medusa deletes its Refund row.
        stripe.delayNext({ method: "POST", path: "/v1/refunds", ms: 5_000, afterRunning: true })
        stripe.failNext({ method: "POST", path: "/v1/refunds", status: 500, shouldRetry: false, afterRunning: true })
        const refunding = client.admin("POST", `/admin/payments/${paymentId}/refund`, { amount: 10 }).then(
          () => "refunded",
          () => "failed",
        )
        await until(
          async () => stripe.refundsOf(intentId).length,
          (count) => count === 1,
          "the refund made at Stripe",
        )
        // The webhook is processed while Medusa's call is still in flight (its Refund row exists): it must wait.
        const event = stripe.eventFor(intentId, "charge.refunded")
        expect((await stripe.deliver(hook("stripe_auto"), event, { secret: STRIPE_SECRET })).status).toBe(200)
        expect(await refunding).toBe("failed")
        const row = await settled("stripe_auto", event.id)
        expect(row).toMatchObject({ status: "processed" })

        const order = await client.orderByEmail(email)
        expect(refundedOf(order)).toBe(10)
        expect(stripe.refundsOf(intentId).map((refund) => refund.amount)).toEqual([1000])
        expect(refundCallsFor(intentId)).toHaveLength(1)
      })
    })

    describe("refunds that fail later", () => {
      it("3. a dashboard refund Stripe reports pending is not booked; when it fails, nothing was booked and nothing is flagged", async () => {
        const { email, intentId, session } = await capturedStripeOrder()
        const pending = stripe.refundFromDashboard(intentId, 1000, { status: "pending" })
        const refunded = await deliverStripe("stripe_auto", stripe.eventFor(intentId, "charge.refunded"))
        expect(refunded).toMatchObject({ status: "processed" })
        expect(refundedOf(await client.orderByEmail(email))).toBe(0)

        const failed = stripe.settleRefund(pending.id, "failed")
        const row = await deliverStripe("stripe_auto", stripe.buildEvent("refund.updated", failed))
        expect(row).toMatchObject({ status: "processed", needs_attention: false })
        expect(refundedOf(await client.orderByEmail(email))).toBe(0)
        expect(stripe.charge(String(stripe.intent(intentId).latest_charge)).amount_refunded).toBe(0)
        expect(eventsNamed("payment_needs_attention", session.id)).toEqual([])
      })

      it("3. a dashboard refund Stripe reports pending is booked once it succeeds", async () => {
        const { email, intentId } = await capturedStripeOrder()
        const pending = stripe.refundFromDashboard(intentId, 700, { status: "pending" })
        await deliverStripe("stripe_auto", stripe.eventFor(intentId, "charge.refunded"))
        expect(refundedOf(await client.orderByEmail(email))).toBe(0)

        const succeeded = stripe.settleRefund(pending.id, "succeeded")
        expect(await deliverStripe("stripe_auto", stripe.buildEvent("refund.updated", succeeded))).toMatchObject({ status: "processed" })
        const order = await client.orderByEmail(email)
        expect(refundedOf(order)).toBe(7)
        expect(paymentOf(order)?.refunds).toHaveLength(1)
        expect(stripe.refundsOf(intentId)).toHaveLength(1)
      })

      it("3. a refund made from the Medusa admin that Stripe later fails is flagged, with the amounts, and reported", async () => {
        const { email, intentId, paymentId, session } = await capturedStripeOrder()
        await client.admin("POST", `/admin/payments/${paymentId}/refund`, { amount: 10 })
        const [made] = stripe.refundsOf(intentId)
        const failed = stripe.settleRefund(made.id, "failed")
        const row = await deliverStripe("stripe_auto", stripe.buildEvent("refund.updated", failed))
        expect(row).toMatchObject({ needs_attention: true })
        // Medusa cannot un-book a refund: it still shows 10.00 while Stripe refunded nothing, and a person is told.
        expect(refundedOf(await client.orderByEmail(email))).toBe(10)
        expect(stripe.charge(String(stripe.intent(intentId).latest_charge)).amount_refunded).toBe(0)
        expect(eventsNamed("payment_needs_attention", session.id)).toEqual([
          expect.objectContaining({
            psp_reference: intentId,
            amount: 10,
            currency_code: "usd",
            medusa_refunded: 10,
            reason: expect.stringContaining(made.id),
          }),
        ])
        expect(emitted.filter((event) => event.name === "refund_failed" && event.data.refund_id === made.id)).toHaveLength(1)
      })

      it("3. a dashboard refund already booked that Stripe later fails is flagged too", async () => {
        const { email, intentId, session } = await capturedStripeOrder()
        const refund = stripe.refundFromDashboard(intentId, 500)
        await deliverStripe("stripe_auto", stripe.eventFor(intentId, "charge.refunded"))
        expect(refundedOf(await client.orderByEmail(email))).toBe(5)

        const row = await deliverStripe("stripe_auto", stripe.buildEvent("refund.updated", stripe.settleRefund(refund.id, "failed")))
        expect(row).toMatchObject({ needs_attention: true })
        expect(row?.last_error ?? "").not.toContain("was not made through this store")
        expect(eventsNamed("payment_needs_attention", session.id)).toEqual([expect.objectContaining({ amount: 5, medusa_refunded: 5 })])
      })

      it("3. (Yoco) an admin refund Yoco later fails is flagged and reported", async () => {
        const { checkoutId, paymentId, session } = await paidYocoOrder()
        await client.admin("POST", `/admin/payments/${paymentId}/refund`, { amount: 10 })
        const { event } = await yoco.refundFailed(checkoutId, { deliverTo: [] })
        expect((await yoco.deliver(hook("yoco_yoco"), event)).status).toBe(200)
        const row = await settled("yoco_yoco", messageIdOf(event))
        expect(row).toMatchObject({ needs_attention: true })
        expect(eventsNamed("payment_needs_attention", session.id)).toEqual([
          expect.objectContaining({ psp_reference: checkoutId, amount: 10, medusa_refunded: 10 }),
        ])
      })
    })

    describe("captures after the PSP moved money", () => {
      it("4. a capture from the admin after Stripe's dashboard captured part and released the rest is refused, naming what Stripe captured", async () => {
        const { email, intentId, paymentId } = await authorizedStripeOrder()
        stripe.succeed(intentId, 1000) // 10.00 of 25.00 captured in the dashboard; Stripe releases the rest
        await deliverStripe("stripe_stripe", stripe.eventFor(intentId, "payment_intent.succeeded"))
        expect(capturedOf(await client.orderByEmail(email))).toBe(10)

        // The admin captures the rest, 15.00, as Medusa still thinks it is authorized.
        const answer = await client.adminAnswer("POST", `/admin/payments/${paymentId}/capture`, { amount: 15 })
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(answer.status).toBeLessThan(500)
        expect(JSON.stringify(answer.body)).toContain("10.00")
        expect(capturedOf(await client.orderByEmail(email))).toBe(10)
        expect(stripe.intent(intentId).amount_received).toBe(1000)
        expect(stripe.captureCount(intentId)).toBe(1)
      })

      it("5. an admin capture of part of the payment captures exactly that part at Stripe, keyed by Medusa's capture id; a second one is refused", async () => {
        const { email, intentId, paymentId } = await authorizedStripeOrder()
        await client.admin("POST", `/admin/payments/${paymentId}/capture`, { amount: 10 })
        const order = await client.orderByEmail(email)
        expect(capturedOf(order)).toBe(10)
        expect(stripe.intent(intentId).amount_received).toBe(1000)
        const [capture] = stripeCalls(new RegExp(`^/v1/payment_intents/${intentId}/capture$`))
        expect(capture.body).toMatchObject({ amount_to_capture: "1000" })
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data: captures } = await query.graph({ entity: "capture", fields: ["id"], filters: { payment_id: paymentId } })
        expect(capture.idempotencyKey).toBe(captures[0].id)

        // Stripe captures a PaymentIntent once: the rest was released, so a further capture cannot be made.
        const answer = await client.adminAnswer("POST", `/admin/payments/${paymentId}/capture`, { amount: 5 })
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(JSON.stringify(answer.body)).toMatch(/captured 10\.00/)
        // Stripe's succeeded event for the part changes nothing more.
        await deliverStripe("stripe_stripe", stripe.eventFor(intentId, "payment_intent.succeeded"))
        expect(capturedOf(await client.orderByEmail(email))).toBe(10)
        expect(stripe.captureCount(intentId)).toBe(1)
      })
    })

    describe("events on another PSP object", () => {
      it("6. (Stripe) another intent carrying the session's id is ignored: the session's own authorization is not captured", async () => {
        const { email, session, intentId } = await authorizedStripeOrder()
        const other = await stripeClient().paymentIntents.create({ amount: 1000, currency: "usd", metadata: { session_id: session.id } })
        stripe.authorize(other.id) // automatic capture: succeeded
        const row = await deliverStripe("stripe_stripe", stripe.eventFor(other.id, "payment_intent.succeeded"))
        expect(row).toMatchObject({ status: "ignored", last_error: expect.stringContaining(other.id) })
        expect(row?.last_error).toContain(intentId)
        expect(capturedOf(await client.orderByEmail(email))).toBe(0)
        expect(stripe.intent(intentId).status).toBe("requires_capture")
        expect(stripe.captureCount(intentId)).toBe(0)
      })

      it("6. (Yoco) a payment on another checkout carrying the session's id is ignored", async () => {
        const { email, session } = await checkouts.cart("pp_yoco_yoco")
        const response = await fetch(`${yoco.url}/checkouts`, {
          method: "POST",
          headers: { authorization: `Bearer ${FakeYoco.TEST_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({ amount: session.amount * 100, currency: "ZAR", metadata: { session_id: session.id } }),
        })
        const other = (await response.json()) as { id: string }
        const { event } = await yoco.pay(other.id, { deliverTo: [] })
        expect((await yoco.deliver(hook("yoco_yoco"), event)).status).toBe(200)
        const row = await settled("yoco_yoco", messageIdOf(event))
        expect(row).toMatchObject({ status: "ignored", last_error: expect.stringContaining(other.id) })
        expect(await client.orderByEmail(email)).toBeUndefined()
      })
    })

    describe("no silent expiry, no repeated customer events", () => {
      it("7. an authorization Stripe cancels before anyone captured it (its 7-day expiry) is reported", async () => {
        const { intentId, session, email } = await authorizedStripeOrder()
        stripe.expireAuthorization(intentId)
        const row = await deliverStripe("stripe_stripe", stripe.eventFor(intentId, "payment_intent.canceled"))
        expect(row).toMatchObject({ needs_attention: true })
        expect(eventsNamed("payment_needs_attention", session.id)).toEqual([
          expect.objectContaining({
            psp_reference: intentId,
            amount: 25,
            currency_code: "usd",
            reason: expect.stringContaining("canceled"),
          }),
        ])
        expect(capturedOf(await client.orderByEmail(email))).toBe(0)
      })

      it("7. a replayed decline, cancellation or dispute tells the store nothing again", async () => {
        const declined = await checkouts.stripeCart()
        stripe.fail(declined.intentId)
        const decline = await deliverStripe("stripe_stripe", stripe.eventFor(declined.intentId, "payment_intent.payment_failed"))

        const canceled = await checkouts.stripeCart()
        await stripeClient().paymentIntents.cancel(canceled.intentId)
        const cancel = await deliverStripe("stripe_stripe", stripe.eventFor(canceled.intentId, "payment_intent.canceled"))

        const disputed = await capturedStripeOrder()
        stripe.dispute(disputed.intentId)
        const dispute = await deliverStripe("stripe_auto", stripe.eventFor(disputed.intentId, "charge.dispute.created"))
        await until(
          async () => emitted.filter((e) => e.name === "dispute_opened").length,
          (count) => count >= 1,
          "dispute_opened",
        )

        for (const row of [decline, cancel, dispute]) {
          const replay = await client.admin<{ result: { status: string } }>("POST", `/admin/payment-webhooks/${row?.id}/replay`)
          expect(replay.result.status).toBe("processed")
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        expect(eventsNamed("payment_failed", declined.session.id)).toHaveLength(1)
        expect(eventsNamed("payment_canceled", canceled.session.id)).toHaveLength(1)
        expect(emitted.filter((e) => e.name === "dispute_opened" && (e.data.dispute as { id?: string })?.id !== undefined)).toHaveLength(1)
      })
    })

    describe("work longer than a lease", () => {
      it("8. the claim and the session's lock are renewed while work runs: a second processor never overlaps the first", async () => {
        const { email, intentId } = await checkouts.stripeCart()
        stripe.authorize(intentId)
        // Stripe answers the workflow's reads slowly: the processing outlasts the 3 s lease twice over.
        stripe.delayNext({ method: "GET", path: `/v1/payment_intents/${intentId}`, ms: 7_000 })
        const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
        expect((await stripe.deliver(hook("stripe_stripe"), event, { secret: STRIPE_SECRET })).status).toBe(200)
        const row = await until(
          () => rowOfEvent(inbox(), "stripe_stripe", event.id),
          (found) => (found?.attempts ?? 0) >= 1,
          "the first claim",
        )
        await new Promise((resolve) => setTimeout(resolve, 4_500))
        // Past the first lease: a second processor (the job, a replay) finds the row still held.
        expect(await processDelivery(getContainer(), String(row?.id))).toEqual({ status: "skipped" })
        const done = await settled("stripe_stripe", event.id)
        expect(done).toMatchObject({ status: "processed", attempts: 1 })
        expect((await client.waitForOrder(email)).payment_collections[0].payments).toHaveLength(1)
      })
    })
  },
})
