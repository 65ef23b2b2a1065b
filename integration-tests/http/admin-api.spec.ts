import { hostname } from "node:os"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Client } from "pg"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import type { FakeStripeEvent } from "../../src/testing"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { recordSettled, rowOfEvent, settledRowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { createAdminSecret } from "../support/admin-key"
import { seedStore, type SeededStore } from "../support/seed"
import { StoreClient } from "../support/store-client"

jest.setTimeout(240_000)

const STRIPE_SECRET = "whsec_admin_api_secret"
const { stripe } = usePspFakes(STRIPE_SECRET)
const STRIPE = "stripe_stripe"

type Row = { id: string; session_id: string | null; order_id: string | null; event_type: string | null }
type Entry = { at: string; kind: string }

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let seeded: SeededStore
    let client: StoreClient
    let adminToken: string
    let carts = 0

    beforeAll(async () => {
      seeded = await seedStore(getContainer())
      adminToken = await createAdminSecret(getContainer())
      client = new StoreClient(api.defaults.baseURL, seeded.publishableKey, adminToken)
    })

    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const stripeUrl = () => `${client.baseUrl}/hooks/payment/stripe_stripe`
    const basic = (token: string) => `Basic ${Buffer.from(`${token}:`).toString("base64")}`

    /** Calls the admin API as a person with a secret key would; the status and parsed body, whatever the status. */
    async function admin(method: "GET" | "POST", path: string, body?: object, authorization = basic(adminToken)) {
      const response = await fetch(`${client.baseUrl}${path}`, {
        method,
        headers: { ...(authorization ? { authorization } : {}), ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await response.text()
      // The answer's JSON as the test reads it; each test states the fields it expects.
      return { status: response.status, body: text ? JSON.parse(text) : {} }
    }

    async function stripeCart() {
      const email = `admin-api-${++carts}-${Date.now()}@example.com`
      const cart = await client.cartReadyToPay({ ...seeded.markets.usd, variantId: seeded.variantId, email })
      const { session } = await client.startPayment(cart.id, "pp_stripe_stripe")
      return { email, cart, session, intentId: String(session.data.id) }
    }

    /** A cart paid and captured at Stripe, its succeeded event delivered and processed into an order. */
    async function capturedOrder() {
      const checkout = await stripeCart()
      stripe.authorize(checkout.intentId)
      stripe.succeed(checkout.intentId)
      const event = stripe.eventFor(checkout.intentId, "payment_intent.succeeded")
      await stripe.deliver(stripeUrl(), event, { secret: STRIPE_SECRET })
      const row = await settledRowOfEvent(inbox(), STRIPE, event.id)
      const order = await client.waitForOrder(checkout.email)
      return { ...checkout, event, row, order }
    }

    /** Records an event as the edge does, without announcing it: only the test's own calls process it. */
    async function recordUnannounced(event: FakeStripeEvent) {
      return inbox().recordDelivery({ provider_id: STRIPE, event_id: event.id, event_type: event.type, source: "webhook", body_hash: "test", raw_body: stripe.payloadOf(event) })
    }

    /** A dashboard refund whose `charge.refunded` failed for good: Stripe answered 500 on the processor's last attempt. */
    async function failedRefundDelivery() {
      const paid = await capturedOrder()
      stripe.refundFromDashboard(paid.intentId, 400)
      const event = stripe.eventFor(paid.intentId, "charge.refunded")
      const { id } = await recordUnannounced(event)
      const db = new Client({ connectionString: dbConfig.clientUrl })
      await db.connect()
      await db.query("UPDATE payment_webhook_event SET attempts = $2 WHERE id = $1", [id, inbox().inboxOptions.maxAttempts - 1]).finally(() => db.end())
      stripe.failNext({ method: "GET", path: "/v1/refunds", status: 500, shouldRetry: false })
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "failed" })
      return { ...paid, id, event }
    }

    const idsOf = (body: { payment_webhooks: Row[] }) => body.payment_webhooks.map((row) => row.id)

    it("finds a paid cart's delivery by session, PaymentIntent, event id and order, filters by date, and refuses unknown parameters", async () => {
      const { session, intentId, event, row, order } = await capturedOrder()
      for (const q of [session.id, intentId, event.id, order.id]) {
        const found = await admin("GET", `/admin/payment-webhooks?q=${encodeURIComponent(q)}`)
        expect(found.status).toBe(200)
        expect(idsOf(found.body)).toContain(row.id)
        expect(found.body.payment_webhooks.every((shown: Row) => shown.session_id === session.id)).toBe(true)
      }
      const [shown] = (await admin("GET", `/admin/payment-webhooks?q=${event.id}`)).body.payment_webhooks
      expect(shown).toMatchObject({ id: row.id, status: "processed", order_id: order.id, psp_reference: intentId, needs_attention: false })
      for (const hidden of ["raw_body", "claim_token", "lease_until", "history"]) {
        expect(shown).not.toHaveProperty(hidden)
      }
      expect((await admin("GET", "/admin/payment-webhooks?q=evt_nobody_sent_this")).body).toMatchObject({ payment_webhooks: [], count: 0 })

      const received = new Date(shown.received_at).getTime()
      const at = (ms: number) => encodeURIComponent(new Date(received + ms).toISOString())
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?q=${session.id}&received_from=${at(0)}&received_to=${at(1)}`)).body)).toEqual([row.id])
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?q=${session.id}&received_from=${at(1)}`)).body)).toEqual([])
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?q=${session.id}&received_to=${at(0)}`)).body)).toEqual([])

      const unknown = await admin("GET", "/admin/payment-webhooks?searh=x")
      expect(unknown.status).toBe(400)
      expect(unknown.body.message).toContain("searh")
      const badDate = await admin("GET", "/admin/payment-webhooks?received_from=yesterday")
      expect(badDate.status).toBe(400)
      expect(badDate.body.message).toContain("received_from")
    })

    it("summary counts rows by status and those needing attention, which the list filters on", async () => {
      const before = await admin("GET", "/admin/payment-webhooks/summary")
      expect(before.status).toBe(200)
      const sessionId = `payses_admin_api_${Date.now()}`
      const input = (n: number) => ({
        provider_id: STRIPE, event_id: `evt_admin_api_${n}_${Date.now()}`, event_type: "payment_intent.succeeded", source: "webhook" as const,
        body_hash: "test", raw_body: "{}", session_id: sessionId,
      })
      const attention = await recordSettled(inbox(), input(1), { status: "failed", reason: "paid, but its session was deleted", needs_attention: true })
      await recordSettled(inbox(), input(2), { status: "ignored", reason: "not handled" })
      const { id: waiting } = await inbox().recordDelivery(input(3))

      const after = await admin("GET", "/admin/payment-webhooks/summary")
      expect(after.body.counts).toEqual({
        received: before.body.counts.received + 1, processed: before.body.counts.processed,
        ignored: before.body.counts.ignored + 1, failed: before.body.counts.failed + 1,
      })
      expect(after.body.needs_attention).toBe(before.body.needs_attention + 1)
      expect(new Date(after.body.oldest_unprocessed_at).getTime()).toBeLessThanOrEqual(Date.now())

      expect(idsOf((await admin("GET", `/admin/payment-webhooks?session_id=${sessionId}&needs_attention=true`)).body)).toEqual([attention])
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?session_id=${sessionId}&needs_attention=false`)).body)).toHaveLength(2)
      expect((await admin("GET", "/admin/payment-webhooks/summary?status=failed")).status).toBe(400)
      expect((await admin("GET", `/admin/payment-webhooks/${waiting}`)).body.payment_webhook).toMatchObject({ id: waiting, status: "received" })
    })

    it("a delivery's detail shows each attempt with its error and process, then what processing did; 404 for an unknown id", async () => {
      const paid = await capturedOrder()
      stripe.refundFromDashboard(paid.intentId, 300)
      const event = stripe.eventFor(paid.intentId, "charge.refunded")
      const { id } = await recordUnannounced(event)
      await recordUnannounced(event) // the PSP delivers it again
      stripe.failNext({ method: "GET", path: "/v1/refunds", status: 500, shouldRetry: false })
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "retrying" })
      expect(await processDelivery(getContainer(), id, { evenIfBackingOff: true })).toMatchObject({ status: "processed" })

      const detail = await admin("GET", `/admin/payment-webhooks/${id}`)
      expect(detail.status).toBe(200)
      expect(detail.body.payment_webhook).toMatchObject({ id, status: "processed", attempts: 2, deliveries: 2, order_id: paid.order.id, psp_reference: paid.intentId })
      expect(detail.body.payment_webhook).not.toHaveProperty("raw_body")
      expect(detail.body.mapped).toMatchObject({ event_type: "charge.refunded", session_id: paid.session.id, psp_reference: paid.intentId, currency_code: "usd" })

      const timeline: Entry[] = detail.body.timeline
      expect(timeline.map((entry) => entry.kind)).toEqual(["received", "delivered_again", "attempt", "retry_scheduled", "attempt", "processed"])
      const here = { kind: process.env.MEDUSA_WORKER_MODE || "shared", pid: process.pid, host: hostname() }
      const attempts = timeline.filter((entry) => entry.kind === "attempt")
      expect(attempts[0]).toMatchObject({ attempt: 1, error: expect.stringMatching(/\S/), process: here })
      expect(attempts[1]).toMatchObject({ attempt: 2, process: here })
      expect(attempts[1]).not.toHaveProperty("error")
      expect(timeline[5]).toMatchObject({ attempt: 2, outcome: expect.any(Object), process: here })
      const times = timeline.map((entry) => Date.parse(entry.at))
      expect(times).toEqual([...times].sort((a, b) => a - b))

      expect((await admin("GET", "/admin/payment-webhooks/pwhevt_unknown")).status).toBe(404)
    })

    it("bulk replay: the dry run counts what the replay then does, a failed delivery turns processed, and a repeat finds nothing", async () => {
      const since = new Date().toISOString()
      const first = await failedRefundDelivery()
      const second = await failedRefundDelivery()

      const dryRun = await admin("POST", "/admin/payment-webhooks/replay", { since, provider: "stripe", dry_run: true })
      expect(dryRun.status).toBe(200)
      expect(dryRun.body).toMatchObject({ dry_run: true, count: 2, remaining: 0 })
      expect((await rowOfEvent(inbox(), STRIPE, first.event.id))?.status).toBe("failed")

      const replay = await admin("POST", "/admin/payment-webhooks/replay", { since, provider: "stripe" })
      expect(replay.body).toMatchObject({ dry_run: false, count: dryRun.body.count, not_replayable: 0, remaining: 0 })
      expect(replay.body.results).toEqual({ processed: 2, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 })
      for (const paid of [first, second]) {
        expect(await rowOfEvent(inbox(), STRIPE, paid.event.id)).toMatchObject({ status: "processed", needs_attention: false })
        const order = await client.orderByEmail(paid.email)
        expect((order?.payment_collections[0].payments[0].refunds ?? []).map((refund) => Number(refund.amount))).toEqual([4])
      }
      expect((await admin("POST", "/admin/payment-webhooks/replay", { since, dry_run: true })).body).toMatchObject({ count: 0 })
      expect((await admin("POST", "/admin/payment-webhooks/replay", { since })).body).toMatchObject({ count: 0, results: { processed: 0 } })

      const bad = await admin("POST", "/admin/payment-webhooks/replay", { since, limit: 501 })
      expect(bad.status).toBe(400)
      expect(bad.body.message).toContain("limit")
      expect((await admin("POST", "/admin/payment-webhooks/replay", { dry_run: true })).status).toBe(400)
    })

    it("the order view puts the PSP's capture next to Medusa's, survives a failing PSP, and answers 404 for an unknown order", async () => {
      const { email, cart, intentId } = await stripeCart()
      stripe.authorize(intentId)
      await stripe.deliver(stripeUrl(), stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"), { secret: STRIPE_SECRET })
      const order = await client.waitForOrder(email)
      const payment = order.payment_collections[0].payments[0]
      await client.admin("POST", `/admin/payments/${payment.id}/capture`, {})

      const view = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      expect(view.status).toBe(200)
      expect(view.body.order_id).toBe(order.id)
      expect(view.body.payment_webhooks.map((row: Row) => row.event_type)).toContain("payment_intent.amount_capturable_updated")
      expect(view.body.payment_webhooks.every((row: Row) => row.order_id === order.id)).toBe(true)
      const [shown] = view.body.payments
      expect(shown).toMatchObject({ payment_id: payment.id, provider_id: "pp_stripe_stripe", currency_code: "usd" })
      expect(shown.medusa).toEqual({ amount: cart.total, captured: cart.total, refunded: 0 })
      expect(shown.psp).toMatchObject({ status: "succeeded", amount: cart.total, captured: cart.total, refunded: 0 })
      expect(shown.psp.captured).toBe(shown.medusa.captured)
      expect(stripe.captureCount(intentId)).toBe(1)

      stripe.failNext({ method: "GET", path: new RegExp(`^/v1/payment_intents/${intentId}`), status: 500, shouldRetry: false })
      const failing = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      expect(failing.status).toBe(200)
      expect(failing.body.payments[0]).toMatchObject({ psp: null, psp_error: expect.stringMatching(/\S/), medusa: { captured: cart.total } })

      expect((await admin("GET", "/admin/payment-webhooks/orders/order_unknown")).status).toBe(404)
    })

    it("refuses every admin route without a valid key: 401", async () => {
      const routes: Array<["GET" | "POST", string, object?]> = [
        ["GET", "/admin/payment-webhooks"], ["GET", "/admin/payment-webhooks/summary"], ["GET", "/admin/payment-webhooks/pwhevt_any"],
        ["GET", "/admin/payment-webhooks/orders/order_any"], ["POST", "/admin/payment-webhooks/replay", { since: "2026-01-01", dry_run: true }],
        ["POST", "/admin/payment-webhooks/pwhevt_any/replay"],
      ]
      for (const [method, path, body] of routes) {
        expect([path, (await admin(method, path, body, "")).status]).toEqual([path, 401])
        expect([path, (await admin(method, path, body, basic("sk_forged_key"))).status]).toEqual([path, 401])
      }
    })
  },
})
