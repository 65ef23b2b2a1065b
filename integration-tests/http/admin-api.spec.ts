import { hostname } from "node:os"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import type { FakeStripeEvent } from "../../src/testing"
import type { BulkReplayRun, PaymentWebhookRow, PaymentWebhookTimelineEntry } from "../../src/types/admin-api"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { fillInbox } from "../../src/modules/payment-webhooks/fixtures"
import { recordSettled, rowOfEvent } from "../support/inbox-rows"
import { basicAuth } from "../support/admin-request"
import { Checkouts } from "../support/checkouts"
import { withDatabase } from "../support/database"
import { usePspFakes } from "../support/psp-fakes"
import { until } from "../support/until"
import { seededClient } from "../support/seeded-client"
import type { StoreClient } from "../support/store-client"

jest.setTimeout(240_000)

/** The plugin's `adminPspTimeoutMs` in this store (medusa-config.ts reads it): a hung PSP is given up in seconds, not 10. */
const ADMIN_PSP_TIMEOUT_MS = 3_000
process.env.PAYMENT_WEBHOOKS_ADMIN_PSP_TIMEOUT_MS = String(ADMIN_PSP_TIMEOUT_MS)

const STRIPE_SECRET = "whsec_admin_api_secret"
const { stripe } = usePspFakes(STRIPE_SECRET)
const STRIPE = "stripe_stripe"

/** A 400 whose message names what was wrong (the parameter a person misspelt or set out of range). */
function expectRefused(answer: { status: number; body: { message?: string } }, names: string): void {
  expect(answer.status).toBe(400)
  expect(answer.body.message).toContain(names)
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let client: StoreClient
    let checkouts: Checkouts
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "admin-api")
    })

    /** Calls the admin API as a person with a secret key would (or with `authorization`); the status and parsed body, whatever the status. */
    const admin = (method: "GET" | "POST", path: string, body?: object, authorization?: string) =>
      client.adminAnswer(method, path, body, authorization)

    /** Records an event as the edge does, without announcing it: only the test's own calls process it. */
    async function recordUnannounced(event: FakeStripeEvent) {
      return inbox().recordDelivery({
        provider_id: STRIPE,
        event_id: event.id,
        event_type: event.type,
        source: "webhook",
        body_hash: "test",
        raw_body: stripe.payloadOf(event),
      })
    }

    /** A dashboard refund whose `charge.refunded` failed for good: Stripe answered 500 on the processor's last attempt. */
    async function failedRefundDelivery() {
      const paid = await checkouts.capturedStripeOrder()
      stripe.refundFromDashboard(paid.intentId, 400)
      const event = stripe.eventFor(paid.intentId, "charge.refunded")
      const { id } = await recordUnannounced(event)
      await withDatabase(dbConfig.clientUrl, (db) =>
        db.query("UPDATE payment_webhook_event SET attempts = $2 WHERE id = $1", [id, inbox().inboxOptions.maxAttempts - 1]),
      )
      stripe.failNext({ method: "GET", path: "/v1/refunds", status: 500, shouldRetry: false })
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "failed" })
      return { ...paid, id, event }
    }

    const idsOf = (body: { payment_webhooks: PaymentWebhookRow[] }) => body.payment_webhooks.map((row) => row.id)

    /** Follows a bulk replay run, as the admin's drawer does, until it has ended. */
    const replayRunEnded = (id: string) =>
      until(
        async (): Promise<BulkReplayRun> => (await admin("GET", `/admin/payment-webhooks/replay/${id}`)).body.replay_run,
        (run) => run.status !== "running",
        `bulk replay ${id} to end`,
        120_000,
      )

    it("finds a paid cart's delivery by session, PaymentIntent, event id and order, filters by date, and refuses unknown parameters", async () => {
      const { session, intentId, event, row, order } = await checkouts.capturedStripeOrder()
      for (const q of [session.id, intentId, event.id, order.id]) {
        const found = await admin("GET", `/admin/payment-webhooks?q=${encodeURIComponent(q)}`)
        expect(found.status).toBe(200)
        expect(idsOf(found.body)).toContain(row.id)
        expect(found.body.payment_webhooks.every((shown: PaymentWebhookRow) => shown.session_id === session.id)).toBe(true)
      }
      const [shown] = (await admin("GET", `/admin/payment-webhooks?q=${event.id}`)).body.payment_webhooks
      expect(shown).toMatchObject({ id: row.id, status: "processed", order_id: order.id, psp_reference: intentId, needs_attention: false })
      for (const hidden of ["raw_body", "claim_token", "lease_until", "history"]) {
        expect(shown).not.toHaveProperty(hidden)
      }
      expect((await admin("GET", "/admin/payment-webhooks?q=evt_nobody_sent_this")).body).toMatchObject({ payment_webhooks: [], count: 0 })

      const received = new Date(shown.received_at).getTime()
      const at = (ms: number) => encodeURIComponent(new Date(received + ms).toISOString())
      expect(
        idsOf((await admin("GET", `/admin/payment-webhooks?q=${session.id}&received_from=${at(0)}&received_to=${at(1)}`)).body),
      ).toEqual([row.id])
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?q=${session.id}&received_from=${at(1)}`)).body)).toEqual([])
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?q=${session.id}&received_to=${at(0)}`)).body)).toEqual([])

      const unknown = await admin("GET", "/admin/payment-webhooks?searh=x")
      expectRefused(unknown, "searh")
      const badDate = await admin("GET", "/admin/payment-webhooks?received_from=yesterday")
      expectRefused(badDate, "received_from")
    })

    it("summary counts rows by status and those needing attention, which the list filters on", async () => {
      const before = await admin("GET", "/admin/payment-webhooks/summary")
      expect(before.status).toBe(200)
      const sessionId = `payses_admin_api_${Date.now()}`
      const input = (n: number) => ({
        provider_id: STRIPE,
        event_id: `evt_admin_api_${n}_${Date.now()}`,
        event_type: "payment_intent.succeeded",
        source: "webhook" as const,
        body_hash: "test",
        raw_body: "{}",
        session_id: sessionId,
      })
      const attention = await recordSettled(inbox(), input(1), {
        status: "failed",
        reason: "paid, but its session was deleted",
        needs_attention: true,
      })
      await recordSettled(inbox(), input(2), { status: "ignored", reason: "not handled" })
      const { id: waiting } = await inbox().recordDelivery(input(3))

      const after = await admin("GET", "/admin/payment-webhooks/summary")
      expect(after.body.counts).toEqual({
        received: before.body.counts.received + 1,
        processed: before.body.counts.processed,
        ignored: before.body.counts.ignored + 1,
        failed: before.body.counts.failed + 1,
      })
      expect(after.body.needs_attention).toBe(before.body.needs_attention + 1)
      expect(new Date(after.body.oldest_unprocessed_at).getTime()).toBeLessThanOrEqual(Date.now())
      // The provider filter offers the providers the inbox serves.
      expect(after.body.providers).toEqual(["stripe_auto", "stripe_stripe", "yoco_yoco"])

      expect(idsOf((await admin("GET", `/admin/payment-webhooks?session_id=${sessionId}&needs_attention=true`)).body)).toEqual([attention])
      expect(idsOf((await admin("GET", `/admin/payment-webhooks?session_id=${sessionId}&needs_attention=false`)).body)).toHaveLength(2)
      expect((await admin("GET", "/admin/payment-webhooks/summary?status=failed")).status).toBe(400)
      expect((await admin("GET", `/admin/payment-webhooks/${waiting}`)).body.payment_webhook).toMatchObject({
        id: waiting,
        status: "received",
      })
    })

    it("counts up to 10 000 and pages no deeper: a large inbox answers at once, saying when more match", async () => {
      await withDatabase(dbConfig.clientUrl, (db) =>
        fillInbox(db, {
          from: 1,
          count: 12_000,
          bodyTemplate: null,
          minAgeDays: 1,
          providerId: STRIPE,
          eventTypes: [
            "payment_intent.amount_capturable_updated",
            "payment_intent.succeeded",
            "charge.refunded",
            "payment_intent.payment_failed",
          ],
          pspReferencePrefix: "pi_capped_",
        }),
      )
      const summary = await admin("GET", "/admin/payment-webhooks/summary")
      // 10 800 processed and 1 200 ignored: the one past the cap reads as the cap.
      expect(summary.body).toMatchObject({ count_cap: 10_000, counts: { processed: 10_000, ignored: 1_200 } })
      const page = await admin("GET", "/admin/payment-webhooks?limit=5")
      expect(page.body).toMatchObject({ count: 10_000, count_capped: true, limit: 5, offset: 0 })
      expect(idsOf(page.body)).toHaveLength(5)
      const narrowed = await admin("GET", "/admin/payment-webhooks?status=ignored&limit=5")
      expect(narrowed.body).toMatchObject({ count: 1_200, count_capped: false })
      expect((await admin("GET", "/admin/payment-webhooks?offset=10000&limit=5")).status).toBe(200)
      const deeper = await admin("GET", "/admin/payment-webhooks?offset=10001")
      expect(deeper.status).toBe(400)
      expect(deeper.body.message).toContain("offset")
    })

    it("a person settles a delivery that failed and needs attention: a note on its timeline, no flag, ignored; nothing else is settled", async () => {
      const input = (n: number) => ({
        provider_id: STRIPE,
        event_id: `evt_settle_${n}_${Date.now()}`,
        event_type: "payment_intent.succeeded",
        source: "webhook" as const,
        body_hash: "test",
        raw_body: "{}",
        session_id: `payses_settle_${Date.now()}`,
      })
      const flagged = await recordSettled(inbox(), input(1), {
        status: "failed",
        reason: "paid, but its cart is gone",
        needs_attention: true,
      })
      const fine = await recordSettled(inbox(), input(2), { status: "processed", reason: null })
      const { id: waiting } = await inbox().recordDelivery(input(3))

      const noNote = await admin("POST", `/admin/payment-webhooks/${flagged}/settle`, {})
      expect(noNote.status).toBe(400)
      expect(noNote.body.message).toContain("note")
      const settled = await admin("POST", `/admin/payment-webhooks/${flagged}/settle`, { note: "Refunded by hand in the dashboard" })
      expect(settled.status).toBe(200)
      expect(settled.body.payment_webhook).toMatchObject({
        id: flagged,
        status: "ignored",
        needs_attention: false,
        last_error: "settled by a person: Refunded by hand in the dashboard",
      })
      const timeline: PaymentWebhookTimelineEntry[] = (await admin("GET", `/admin/payment-webhooks/${flagged}`)).body.timeline
      expect(timeline.at(-1)).toMatchObject({
        kind: "settled_by_person",
        note: "Refunded by hand in the dashboard",
        actor: expect.any(String),
      })
      // Its raw body stays until retention takes it (from now), so it can still be replayed meanwhile.
      expect((await rowOfEvent(inbox(), STRIPE, settled.body.payment_webhook.event_id))?.raw_body).toBe("{}")

      for (const id of [flagged, fine, waiting]) {
        const again = await admin("POST", `/admin/payment-webhooks/${id}/settle`, { note: "Nothing to do" })
        expect([id, again.status, again.body.message]).toEqual([id, 409, expect.stringContaining("nothing to settle")])
      }
      expect((await admin("POST", "/admin/payment-webhooks/pwhevt_unknown/settle", { note: "Nothing to do" })).status).toBe(404)
    })

    it("a delivery's detail shows each attempt with its error and process, then what processing did; 404 for an unknown id", async () => {
      const paid = await checkouts.capturedStripeOrder()
      stripe.refundFromDashboard(paid.intentId, 300)
      const event = stripe.eventFor(paid.intentId, "charge.refunded")
      const { id } = await recordUnannounced(event)
      await recordUnannounced(event) // the PSP delivers it again
      stripe.failNext({ method: "GET", path: "/v1/refunds", status: 500, shouldRetry: false })
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "retrying" })
      expect(await processDelivery(getContainer(), id, { evenIfBackingOff: true })).toMatchObject({ status: "processed" })

      const detail = await admin("GET", `/admin/payment-webhooks/${id}`)
      expect(detail.status).toBe(200)
      expect(detail.body.payment_webhook).toMatchObject({
        id,
        status: "processed",
        attempts: 2,
        deliveries: 2,
        order_id: paid.order.id,
        psp_reference: paid.intentId,
      })
      expect(detail.body.payment_webhook).not.toHaveProperty("raw_body")
      expect(detail.body.mapped).toMatchObject({
        event_type: "charge.refunded",
        session_id: paid.session.id,
        psp_reference: paid.intentId,
        currency_code: "usd",
      })

      const timeline: PaymentWebhookTimelineEntry[] = detail.body.timeline
      expect(timeline.map((entry) => entry.kind)).toEqual([
        "received",
        "delivered_again",
        "attempt",
        "retry_scheduled",
        "attempt",
        "processed",
      ])
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
      expect(replay.status).toBe(202)
      expect(replay.body).toMatchObject({ dry_run: false, replay_run: { status: "running", total: dryRun.body.count, batch_size: 50 } })
      const run = await replayRunEnded(replay.body.replay_run.id)
      expect(run).toMatchObject({ status: "done", total: 2, taken: 2, not_replayable: 0, filter: { status: "failed", provider: "stripe" } })
      expect(run.results).toEqual({ processed: 2, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 })
      for (const paid of [first, second]) {
        expect(await rowOfEvent(inbox(), STRIPE, paid.event.id)).toMatchObject({ status: "processed", needs_attention: false })
        const order = await client.orderByEmail(paid.email)
        expect((order?.payment_collections[0].payments[0].refunds ?? []).map((refund) => Number(refund.amount))).toEqual([4])
      }
      expect((await admin("POST", "/admin/payment-webhooks/replay", { since, dry_run: true })).body).toMatchObject({ count: 0 })
      // Nothing matches any more: the run is done before it starts (200), having taken nothing.
      const repeat = await admin("POST", "/admin/payment-webhooks/replay", { since })
      expect(repeat.status).toBe(200)
      expect(repeat.body.replay_run).toMatchObject({ status: "done", total: 0, taken: 0, results: { processed: 0 } })

      const bad = await admin("POST", "/admin/payment-webhooks/replay", { since, limit: 501 })
      expectRefused(bad, "limit")
      expect((await admin("POST", "/admin/payment-webhooks/replay", { dry_run: true })).status).toBe(400)
    })

    it("the order view puts the PSP's capture next to Medusa's, survives a failing PSP, asks the PSP once for two views, and answers 404 for an unknown order", async () => {
      const { email, cart, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      await stripe.deliver(checkouts.stripeHook, stripe.eventFor(intentId, "payment_intent.amount_capturable_updated"), {
        secret: STRIPE_SECRET,
      })
      const order = await client.waitForOrder(email)
      const payment = order.payment_collections[0].payments[0]
      await client.admin("POST", `/admin/payments/${payment.id}/capture`, {})

      // A failing PSP: Medusa's side is shown with the reason, and the failure is not kept.
      stripe.failNext({ method: "GET", path: new RegExp(`^/v1/payment_intents/${intentId}`), status: 500, shouldRetry: false })
      const failing = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      expect(failing.status).toBe(200)
      expect(failing.body.payments[0]).toMatchObject({
        psp: null,
        psp_read_at: null,
        psp_error: expect.stringMatching(/\S/),
        medusa: { captured: cart.total },
      })

      const retrieves = () =>
        stripe.requests.filter((request) => request.method === "GET" && request.path === `/v1/payment_intents/${intentId}`).length
      const before = retrieves()
      const asked = Date.now()
      const view = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      const again = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      // Two views in a row, one PaymentIntent retrieve: the second reuses the first's answer, and says how old it is.
      expect(retrieves() - before).toBe(1)
      expect(again.body.payments).toEqual(view.body.payments)
      const readAt = Date.parse(view.body.payments[0].psp_read_at)
      expect(readAt).toBeGreaterThanOrEqual(asked - 1_000)
      expect(readAt).toBeLessThanOrEqual(Date.now())
      expect(view.status).toBe(200)
      expect(view.body.order_id).toBe(order.id)
      expect(view.body.payment_webhooks.map((row: PaymentWebhookRow) => row.event_type)).toContain(
        "payment_intent.amount_capturable_updated",
      )
      expect(view.body.payment_webhooks.every((row: PaymentWebhookRow) => row.order_id === order.id)).toBe(true)
      const [shown] = view.body.payments
      expect(shown).toMatchObject({ payment_id: payment.id, provider_id: "pp_stripe_stripe", currency_code: "usd" })
      expect(shown.medusa).toEqual({ amount: cart.total, captured: cart.total, refunded: 0 })
      expect(shown.psp).toMatchObject({ status: "succeeded", amount: cart.total, captured: cart.total, refunded: 0 })
      expect(shown.psp.captured).toBe(shown.medusa.captured)
      expect(stripe.captureCount(intentId)).toBe(1)

      expect((await admin("GET", "/admin/payment-webhooks/orders/order_unknown")).status).toBe(404)
    })

    it("the order view gives up on a hung PSP at the deadline: Medusa's side with the reason, and the request to Stripe is closed", async () => {
      const { order, intentId } = await checkouts.capturedStripeOrder()
      const path = `/v1/payment_intents/${intentId}`
      stripe.delayNext({ method: "GET", path, ms: 120_000 })

      const started = Date.now()
      const view = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      const took = Date.now() - started
      expect(view.status).toBe(200)
      expect(view.body.payments[0]).toMatchObject({
        psp: null,
        psp_read_at: null,
        psp_error: `the PSP did not answer within ${ADMIN_PSP_TIMEOUT_MS / 1000} s`,
        medusa: { captured: expect.any(Number) },
      })
      expect(took).toBeGreaterThanOrEqual(ADMIN_PSP_TIMEOUT_MS - 100)
      expect(took).toBeLessThan(ADMIN_PSP_TIMEOUT_MS + 2_500)
      // The fake sees the caller close the connection: the call was canceled, not left running.
      await until(
        async () => stripe.requests.filter((request) => request.path === path && request.closedByClient).length,
        (closed) => closed === 1,
        "Stripe to see the hung request closed",
        5_000,
      )

      // The failure was not kept: the next view asks Stripe again, which answers now.
      const next = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      expect(next.body.payments[0]).toMatchObject({ psp: { status: "succeeded" }, psp_read_at: expect.any(String) })
    })

    it("refuses every admin route without a valid key: 401", async () => {
      const routes: Array<["GET" | "POST", string, object?]> = [
        ["GET", "/admin/payment-webhooks"],
        ["GET", "/admin/payment-webhooks/summary"],
        ["GET", "/admin/payment-webhooks/pwhevt_any"],
        ["GET", "/admin/payment-webhooks/orders/order_any"],
        ["POST", "/admin/payment-webhooks/replay", { since: "2026-01-01", dry_run: true }],
        ["GET", "/admin/payment-webhooks/replay/pwhrpl_any"],
        ["POST", "/admin/payment-webhooks/replay/pwhrpl_any/cancel"],
        ["POST", "/admin/payment-webhooks/pwhevt_any/replay"],
      ]
      for (const [method, path, body] of routes) {
        expect([path, (await admin(method, path, body, "")).status]).toEqual([path, 401])
        expect([path, (await admin(method, path, body, basicAuth("sk_forged_key"))).status]).toEqual([path, 401])
      }
    })

    it("replay leaves a delivery a processor holds alone (409), replays a processed one on purpose, and refuses unknown fields", async () => {
      const input = (name: string) => ({
        provider_id: STRIPE,
        event_id: `evt_admin_api_${name}_${Date.now()}`,
        event_type: "payment_intent.succeeded",
        source: "webhook" as const,
        body_hash: "test",
        raw_body: "{}",
      })
      // Claimed by a processor that is still at work: its lease is live.
      const { id: heldId } = await inbox().recordDelivery(input("held"))
      const claim = await inbox().claim(heldId)
      expect(claim).toMatchObject({ attempts: 1 })
      const refused = await admin("POST", `/admin/payment-webhooks/${heldId}/replay`)
      expect(refused.status).toBe(409)
      expect(refused.body.message).toContain("being processed")
      expect((await admin("GET", `/admin/payment-webhooks/${heldId}`)).body.payment_webhook).toMatchObject({
        status: "received",
        attempts: 1,
      })
      // The holder's claim still stands: it settles the row, nobody else's attempt started.
      expect(await inbox().settle(claim!, { status: "ignored", reason: "test" })).toBe(true)

      // Settled `processed`: a person may replay it; a bulk replay that picked it as `failed` leaves it alone.
      const processedId = await recordSettled(inbox(), input("processed"), {
        status: "processed",
        reason: null,
        outcome: { refunds: ["ref_kept"] },
      })
      expect(await inbox().requeue(processedId, { expectedStatus: "failed" })).toBe("changed")
      expect((await inbox().listPaymentWebhookEvents({ id: processedId }))[0]).toMatchObject({
        status: "processed",
        outcome: { refunds: ["ref_kept"] },
      })
      const replayed = await admin("POST", `/admin/payment-webhooks/${processedId}/replay`)
      expect(replayed.status).toBe(200)
      expect(replayed.body.payment_webhook).toMatchObject({ id: processedId, attempts: 1 })

      for (const [path, body] of [
        [`/admin/payment-webhooks/${processedId}/replay?force=true`, undefined],
        [`/admin/payment-webhooks/${processedId}/replay`, { force: true }],
      ] as const) {
        const bad = await admin("POST", path, body)
        expectRefused(bad, "force")
      }
      const badHealth = await admin("GET", "/admin/payment-webhooks/health?verbose=1")
      expectRefused(badHealth, "verbose")
    })

    it("bulk replay: a dry run counts at most 100 rows a call and says how many remain; a run takes every row after `after`, `limit` a batch", async () => {
      const since = new Date().toISOString()
      const ids: string[] = []
      for (const n of [1, 2, 3]) {
        ids.push(
          await recordSettled(
            inbox(),
            {
              provider_id: STRIPE,
              event_id: `evt_admin_api_batch_${n}_${Date.now()}`,
              event_type: "charge.refunded",
              source: "webhook",
              body_hash: "test",
              raw_body: "{}",
            },
            { status: "failed", reason: "the PSP answered 500" },
          ),
        )
      }
      const first = await admin("POST", "/admin/payment-webhooks/replay", { since, provider: STRIPE, limit: 1, dry_run: true })
      expect(first.body).toMatchObject({ dry_run: true, count: 1, remaining: 2, next_after: ids[0] })
      // Every row after the first, one per batch: the cursor and the counts are written after each.
      const started = await admin("POST", "/admin/payment-webhooks/replay", { since, provider: STRIPE, limit: 1, after: ids[0] })
      expect(started.status).toBe(202)
      const run = await replayRunEnded(started.body.replay_run.id)
      expect(run).toMatchObject({ status: "done", total: 2, taken: 2, batch_size: 1, cursor: ids[2] })
      expect((await admin("GET", `/admin/payment-webhooks/${ids[0]}`)).body.payment_webhook.status).toBe("failed")
      for (const id of ids.slice(1)) {
        expect((await admin("GET", `/admin/payment-webhooks/${id}`)).body.payment_webhook.status).not.toBe("failed")
      }
      const cancelEnded = await admin("POST", `/admin/payment-webhooks/replay/${run.id}/cancel`)
      expect(cancelEnded.status).toBe(409)
      expectRefused(await admin("GET", `/admin/payment-webhooks/replay/${run.id}?verbose=1`), "verbose")
      const tooMany = await admin("POST", "/admin/payment-webhooks/replay", { since, dry_run: true, limit: 101 })
      expectRefused(tooMany, "limit")
    })

    it("the order_id filter and the order view both find a delivery that names only the order's PSP payment", async () => {
      const { order, intentId } = await checkouts.capturedStripeOrder()
      // A refund as the PSP may send it: no session on it, only the PaymentIntent.
      const refundId = await recordSettled(
        inbox(),
        {
          provider_id: STRIPE,
          event_id: `evt_admin_api_by_reference_${Date.now()}`,
          event_type: "charge.refunded",
          source: "webhook",
          body_hash: "test",
          raw_body: "{}",
        },
        { status: "ignored", reason: "test", facts: { psp_reference: intentId } },
      )
      const listed = await admin("GET", `/admin/payment-webhooks?order_id=${order.id}`)
      expect(listed.status).toBe(200)
      const view = await admin("GET", `/admin/payment-webhooks/orders/${order.id}`)
      expect(idsOf(listed.body)).toContain(refundId)
      expect(idsOf(view.body).sort()).toEqual(idsOf(listed.body).sort())
    })
  },
})
