import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { FakeYoco } from "../../src/testing"
import { Checkouts } from "../support/checkouts"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { AdminOrder, StoreClient } from "../support/store-client"
import { until } from "../support/until"

jest.setTimeout(180_000)

const STRIPE_SECRET = "whsec_beyond_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)
const PAST_CORE_DELAY_MS = 8_000

const refundedTotal = (order: AdminOrder | undefined) =>
  (order?.payment_collections[0]?.payments[0]?.refunds ?? []).reduce((sum, refund) => sum + Number(refund.amount), 0)

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let client: StoreClient
    let checkouts: Checkouts
    const emitted: Array<{ name: string; data: Record<string, unknown> }> = []
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "beyond")
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      for (const name of [
        "payment_failed",
        "payment_canceled",
        "refund_failed",
        "dispute_opened",
        "dispute_closed",
        "amount_mismatch",
        "refund_recorded",
      ]) {
        eventBus.subscribe(`payment-webhooks.${name}`, async (event) => {
          emitted.push({ name, data: event.data as Record<string, unknown> })
        })
      }
    })

    const rowsOf = (sessionId: string) => inbox().listPaymentWebhookEvents({ session_id: sessionId }, { order: { received_at: "ASC" } })
    const stripeUrl = () => checkouts.stripeHook
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    async function sessionStatus(sessionId: string): Promise<string> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const {
        data: [session],
      } = await query.graph({ entity: "payment_session", fields: ["status"], filters: { id: sessionId } })
      return session.status
    }

    it("a declined payment tells the store why and leaves the session open for the customer's retry", async () => {
      const { cart, session, intentId } = await checkouts.stripeCart()
      stripe.fail(intentId, { code: "card_declined", declineCode: "insufficient_funds" })
      const answer = await stripe.deliver(stripeUrl(), stripe.eventFor(intentId, "payment_intent.payment_failed"), {
        secret: STRIPE_SECRET,
      })
      expect(answer.status).toBe(200)
      const event = await until(
        async () => emitted.find((e) => e.name === "payment_failed" && e.data.session_id === session.id),
        Boolean,
        "payment_failed event",
      )
      expect(event?.data).toMatchObject({ cart_id: cart.id, reason: "insufficient_funds" })
      const [row] = await until(
        () => rowsOf(session.id),
        (rows) => rows[0]?.status === "processed",
        "the decline settled",
      )
      expect(row).toMatchObject({
        status: "processed",
        event_type: "payment_intent.payment_failed",
        outcome: { declined: "insufficient_funds" },
      })
      expect(await sessionStatus(session.id)).not.toBe("error")
    })

    it("a cancellation that arrives after the capture downgrades nothing", async () => {
      const { session, intentId, email } = await checkouts.capturedStripeOrder()
      const late = stripe.buildEvent("payment_intent.canceled", {
        ...stripe.intent(intentId),
        status: "canceled",
        cancellation_reason: "abandoned",
      })
      expect((await stripe.deliver(stripeUrl(), late, { secret: STRIPE_SECRET })).status).toBe(200)
      const rows = await until(
        () => rowsOf(session.id),
        (all) => all.some((row) => row.event_type === "payment_intent.canceled" && row.status !== "received"),
        "canceled row settled",
      )
      expect(rows.find((row) => row.event_type === "payment_intent.canceled")).toMatchObject({
        status: "ignored",
        last_error: expect.stringContaining("does not downgrade"),
      })
      expect(await sessionStatus(session.id)).toBe("authorized")
      expect((await client.orderByEmail(email))?.payment_collections[0].payments[0].captured_at).not.toBeNull()
      expect(emitted.some((e) => e.name === "payment_canceled" && e.data.session_id === session.id)).toBe(false)
    })

    it("dashboard refunds at Stripe — one full, two partial — show on the order once each", async () => {
      const full = await checkouts.capturedStripeOrder()
      stripe.refundFromDashboard(full.intentId)
      const fullEvent = stripe.eventFor(full.intentId, "charge.refunded")
      await stripe.deliver(stripeUrl(), fullEvent, { secret: STRIPE_SECRET })
      await stripe.deliver(stripeUrl(), fullEvent, { secret: STRIPE_SECRET, timestamp: Math.floor(Date.now() / 1000) })
      const fullOrder = await until(
        () => client.orderByEmail(full.email),
        (o) => refundedTotal(o) > 0,
        "full refund recorded",
      )
      expect(refundedTotal(fullOrder)).toBe(full.cart.total)

      const partial = await checkouts.capturedStripeOrder()
      for (const cents of [500, 700]) {
        stripe.refundFromDashboard(partial.intentId, cents)
        await stripe.deliver(stripeUrl(), stripe.eventFor(partial.intentId, "charge.refunded"), { secret: STRIPE_SECRET })
      }
      const partialOrder = await until(
        () => client.orderByEmail(partial.email),
        (o) => refundedTotal(o) >= 12,
        "partial refunds recorded",
      )
      await sleep(2_000)
      expect(refundedTotal(await client.orderByEmail(partial.email))).toBe(12)
      expect(partialOrder?.payment_collections[0].payments[0].refunds).toHaveLength(2)
      // Nothing was refunded twice at Stripe: only the two dashboard refunds exist there.
      expect(stripe.refundsOf(partial.intentId)).toHaveLength(2)
    })

    it("a refund made from the Medusa admin is recognised when its webhook arrives: still one refund", async () => {
      const paid = await checkouts.capturedStripeOrder()
      const payment = paid.order.payment_collections[0].payments[0]
      await client.admin("POST", `/admin/payments/${payment.id}/refund`, { amount: 10 })
      expect(stripe.refundsOf(paid.intentId)).toHaveLength(1)
      await stripe.deliver(stripeUrl(), stripe.eventFor(paid.intentId, "charge.refunded"), { secret: STRIPE_SECRET })
      await until(
        () => rowsOf(paid.session.id),
        (rows) => rows.some((row) => row.event_type === "charge.refunded" && row.status === "processed"),
        "refund event processed",
      )
      const order = await client.orderByEmail(paid.email)
      expect(order?.payment_collections[0].payments[0].refunds).toHaveLength(1)
      expect(refundedTotal(order)).toBe(10)
      expect(stripe.refundsOf(paid.intentId)).toHaveLength(1)
    })

    it("a dashboard refund at Yoco shows on the order once", async () => {
      const { email, session } = await checkouts.cart("pp_yoco_yoco")
      const checkoutId = String(session.data.checkout_id)
      const url = `${client.baseUrl}/hooks/payment/yoco_yoco`
      await yoco.pay(checkoutId, { deliverTo: url })
      await client.waitForOrder(email, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
      // The merchant refunds R10 in Yoco's dashboard.
      const refund = await fetch(`${yoco.url}/checkouts/${checkoutId}/refund`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${FakeYoco.TEST_KEY}`,
          "content-type": "application/json",
          "idempotency-key": `dash-${checkoutId}`,
        },
        body: JSON.stringify({ amount: 1000 }),
      })
      expect(refund.status).toBe(202)
      const delivered = await yoco.refundSucceeded(checkoutId, { deliverTo: url })
      await yoco.deliver(url, delivered.event)
      const order = await until(
        () => client.orderByEmail(email),
        (o) => refundedTotal(o) > 0,
        "Yoco refund recorded",
      )
      await sleep(2_000)
      expect(refundedTotal(await client.orderByEmail(email))).toBe(10)
      expect(order?.payment_collections[0].payments[0].refunds).toHaveLength(1)
    })

    it("a dispute opened then closed flags the order and tells the store", async () => {
      const paid = await checkouts.capturedStripeOrder()
      const dispute = stripe.dispute(paid.intentId, { reason: "fraudulent" })
      await stripe.deliver(stripeUrl(), stripe.eventFor(paid.intentId, "charge.dispute.created"), { secret: STRIPE_SECRET })
      const opened = await until(
        async () => emitted.find((e) => e.name === "dispute_opened" && e.data.order_id === paid.order.id),
        Boolean,
        "dispute_opened",
      )
      expect(opened?.data.dispute).toMatchObject({
        id: dispute.id,
        reason: "fraudulent",
        status: "needs_response",
        amount: paid.cart.total,
      })

      stripe.closeDispute(dispute.id, "lost")
      await stripe.deliver(stripeUrl(), stripe.eventFor(paid.intentId, "charge.dispute.closed"), { secret: STRIPE_SECRET })
      await until(
        async () => emitted.find((e) => e.name === "dispute_closed" && e.data.order_id === paid.order.id),
        Boolean,
        "dispute_closed",
      )
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const {
        data: [order],
      } = await query.graph({ entity: "order", fields: ["metadata"], filters: { id: paid.order.id } })
      expect(order.metadata?.payment_dispute).toMatchObject({
        id: dispute.id,
        status: "lost",
        reason: "fraudulent",
        evidence_due_by: expect.any(String),
      })
    })

    it("an authorization for another amount is refused: no order, failed with the reason, event emitted", async () => {
      const { email, session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const wrong = stripe.buildEvent("payment_intent.amount_capturable_updated", { ...stripe.intent(intentId), amount_capturable: 100 })
      const answer = await stripe.deliver(stripeUrl(), wrong, { secret: STRIPE_SECRET })
      expect(answer.status).toBe(200)
      await sleep(PAST_CORE_DELAY_MS)
      expect(await client.orderByEmail(email)).toBeUndefined()
      const [row] = await rowsOf(session.id)
      expect(row).toMatchObject({ status: "failed", last_error: expect.stringContaining("differs from the session's") })
      expect(emitted.some((e) => e.name === "amount_mismatch" && e.data.session_id === session.id)).toBe(true)
    })

    it("an event for a session this store does not have is ignored before any workflow runs", async () => {
      const { intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const foreign = stripe.buildEvent("payment_intent.amount_capturable_updated", {
        ...stripe.intent(intentId),
        metadata: { session_id: "payses_from_another_environment" },
      })
      const answer = await stripe.deliver(stripeUrl(), foreign, { secret: STRIPE_SECRET })
      expect(answer.status).toBe(200)
      const [row] = await until(
        () => rowsOf("payses_from_another_environment"),
        (rows) => rows[0]?.status === "ignored",
        "the foreign event ignored",
      )
      expect(row).toMatchObject({ status: "ignored", last_error: expect.stringContaining("does not exist"), outcome: null })
    })
  },
})
