import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import type { FakeStripeEvent } from "../../src/testing"
import type { BulkReplayRun } from "../../src/types/admin-api"
import { resumeStaleReplayRun } from "../../src/webhooks/admin/background-replay"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { Checkouts } from "../support/checkouts"
import { withDatabase } from "../support/database"
import { recordSettled } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { StoreClient } from "../support/store-client"
import { until } from "../support/until"

jest.setTimeout(300_000)

const STRIPE_SECRET = "whsec_bulk_replay_secret"
const { stripe } = usePspFakes(STRIPE_SECRET)
const STRIPE = "stripe_stripe"
const REPLAY = "/admin/payment-webhooks/replay"

medusaIntegrationTestRunner({
  // The job runs only when a test runs it: it is the one to take over a silent run here.
  env: { PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "3600000" },
  testSuite: ({ getContainer, api, dbConfig }) => {
    let client: StoreClient
    let checkouts: Checkouts
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const sql = (text: string, params: unknown[]) => withDatabase(dbConfig.clientUrl, (db) => db.query(text, params))

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "bulk-replay")
    })

    const admin = (method: "GET" | "POST", path: string, body?: object) => client.adminAnswer(method, path, body)

    /** The run as the admin API shows it now. */
    const runOf = async (id: string): Promise<BulkReplayRun> => (await admin("GET", `${REPLAY}/${id}`)).body.replay_run

    /** Polls the run (as the admin's drawer does) until it has ended. */
    const ended = (id: string) =>
      until(
        () => runOf(id),
        (run) => run.status !== "running",
        `bulk replay ${id} to end`,
        120_000,
      )

    /** The store's orders placed with `email`. */
    async function ordersOf(email: string): Promise<Array<{ id: string }>> {
      const { orders } = await client.admin<{ orders: Array<{ id: string; email: string }> }>(
        "GET",
        `/admin/orders?q=${encodeURIComponent(email)}&fields=id,email`,
      )
      return orders.filter((order) => order.email === email)
    }

    /** Records an event as the edge does, without announcing it: only the test's own calls process it. */
    const recordUnannounced = (event: FakeStripeEvent) =>
      inbox().recordDelivery({
        provider_id: STRIPE,
        event_id: event.id,
        event_type: event.type,
        source: "webhook",
        body_hash: "test",
        raw_body: stripe.payloadOf(event),
      })

    /** A cart authorized at Stripe whose `amount_capturable_updated` failed for good: Stripe answered 500 on its last attempt. */
    async function failedAuthorization() {
      const checkout = await checkouts.stripeCart()
      stripe.authorize(checkout.intentId)
      const { id } = await recordUnannounced(stripe.eventFor(checkout.intentId, "payment_intent.amount_capturable_updated"))
      await sql("UPDATE payment_webhook_event SET attempts = $2 WHERE id = $1", [id, inbox().inboxOptions.maxAttempts - 1])
      stripe.failNext({ method: "GET", path: new RegExp(`^/v1/payment_intents/${checkout.intentId}`), status: 500, shouldRetry: false })
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "failed" })
      return { ...checkout, id }
    }

    /** Stripe answers every read of these PaymentIntents `ms` late: their rows take a while to replay. */
    const slowAtStripe = (intentIds: string[], ms: number) =>
      stripe.delayNext({ method: "GET", path: new RegExp(`^/v1/payment_intents/(${intentIds.join("|")})`), ms, times: 1000 })

    it("answers at once with a run that goes on in the background, never in the way of a live webhook, and places each order once", async () => {
      const since = new Date().toISOString()
      const failed = [await failedAuthorization(), await failedAuthorization(), await failedAuthorization(), await failedAuthorization()]
      const live = await checkouts.stripeCart()
      stripe.authorize(live.intentId)
      slowAtStripe(
        failed.map((row) => row.intentId),
        8_000,
      )

      const asked = Date.now()
      const started = await admin("POST", REPLAY, { since, provider: STRIPE, limit: 2 })
      expect(Date.now() - asked).toBeLessThan(4_000)
      expect(started.status).toBe(202)
      const run: BulkReplayRun = started.body.replay_run
      expect(started.body.dry_run).toBe(false)
      expect(run).toMatchObject({
        id: expect.stringMatching(/^pwhrpl_/),
        status: "running",
        total: failed.length,
        taken: 0,
        batch_size: 2,
        filter: { status: "failed", provider: STRIPE, since },
        requested_by: expect.any(String),
      })
      // Answered before any of its rows was processed.
      for (const row of failed) {
        expect((await inbox().listPaymentWebhookEvents({ id: row.id }))[0].status).not.toBe("processed")
      }

      // One run at a time: a second request is refused, naming the one that runs.
      const second = await admin("POST", REPLAY, { since, provider: STRIPE })
      expect(second.status).toBe(409)
      expect(second.body).toMatchObject({ type: "conflict", replay_run: { id: run.id, status: "running" } })
      expect(second.body.message).toContain(run.id)

      // A live delivery meanwhile is processed at once, on the live turns the replay does not take.
      await stripe.deliver(checkouts.stripeHook, stripe.eventFor(live.intentId, "payment_intent.amount_capturable_updated"), {
        secret: STRIPE_SECRET,
      })
      await client.waitForOrder(live.email, { timeoutMs: 30_000 })
      expect((await runOf(run.id)).status).toBe("running")
      const settledAt = async (id: string) => (await inbox().listPaymentWebhookEvents({ id }))[0].processed_at
      const [liveRow] = await inbox().listPaymentWebhookEvents({ provider_id: STRIPE, session_id: live.session.id })
      expect(liveRow).toMatchObject({ status: "processed", attempts: 1 })
      for (const row of failed) {
        expect((await inbox().listPaymentWebhookEvents({ id: row.id }))[0].status).not.toBe("processed")
      }

      const done = await ended(run.id)
      expect(done).toMatchObject({ status: "done", total: failed.length, taken: failed.length, not_replayable: 0, last_error: null })
      expect(done.results).toEqual({ processed: failed.length, ignored: 0, failed: 0, retrying: 0, skipped: 0, claim_lost: 0 })
      expect(done.cursor).toBe(failed[failed.length - 1].id)
      expect(done.finished_at).not.toBeNull()

      for (const row of failed) {
        // A failed row starts a fresh count of attempts: this replay was its first.
        expect((await inbox().listPaymentWebhookEvents({ id: row.id }))[0]).toMatchObject({ status: "processed", attempts: 1 })
        expect(await ordersOf(row.email)).toHaveLength(1)
        // The live delivery was done first, although its webhook was sent after the replay had started.
        expect(new Date((await settledAt(row.id)) ?? 0).getTime()).toBeGreaterThan(new Date(liveRow.processed_at ?? Date.now()).getTime())
      }
      expect(await ordersOf(live.email)).toHaveLength(1)

      // Nothing is left: a repeat is done at once, and places nothing twice.
      const repeat = await admin("POST", REPLAY, { since, provider: STRIPE })
      expect(repeat.status).toBe(200)
      expect(repeat.body.replay_run).toMatchObject({ status: "done", total: 0, taken: 0 })
      for (const row of failed) {
        expect(await ordersOf(row.email)).toHaveLength(1)
      }
      expect((await admin("GET", `${REPLAY}/pwhrpl_unknown`)).status).toBe(404)
    })

    it("a row still in its backoff keeps its attempts when replayed; a settled one starts afresh", async () => {
      const since = new Date().toISOString()
      const input = (name: string) => ({
        provider_id: STRIPE,
        event_id: `evt_bulk_replay_${name}_${Date.now()}`,
        event_type: "charge.refunded",
        source: "webhook" as const,
        body_hash: "test",
        raw_body: "{}",
      })
      const { id: waiting } = await inbox().recordDelivery(input("backoff"))
      // Three attempts so far, the next one an hour away.
      await sql("UPDATE payment_webhook_event SET attempts = 3, next_attempt_at = now() + interval '1 hour' WHERE id = $1", [waiting])

      const started = await admin("POST", REPLAY, { since, status: "received", provider: STRIPE })
      expect(started.status).toBe(202)
      const done = await ended(started.body.replay_run.id)
      expect(done).toMatchObject({ status: "done", total: 1, taken: 1 })
      const [row] = await inbox().listPaymentWebhookEvents({ id: waiting })
      expect(row.status).not.toBe("received")
      // Its fourth attempt, not a first: a replay never hands a row in backoff more than `maxAttempts`.
      expect(row.attempts).toBe(4)

      const settled = await recordSettled(inbox(), input("settled"), { status: "failed", reason: "test" })
      expect(await inbox().requeue(settled, { expectedStatus: "failed" })).toBe("requeued")
      expect((await inbox().listPaymentWebhookEvents({ id: settled }))[0]).toMatchObject({ status: "received", attempts: 0 })
    })

    it("a cancelled run stops after the row it is on and leaves the rest failed; a new run then takes them", async () => {
      const since = new Date().toISOString()
      const failed = [await failedAuthorization(), await failedAuthorization(), await failedAuthorization()]
      slowAtStripe(
        failed.map((row) => row.intentId),
        3_000,
      )
      const started = await admin("POST", REPLAY, { since, provider: STRIPE, limit: 1 })
      expect(started.status).toBe(202)
      const cancelled = await admin("POST", `${REPLAY}/${started.body.replay_run.id}/cancel`)
      expect(cancelled.status).toBe(200)
      expect(cancelled.body.replay_run).toMatchObject({ status: "cancelled", finished_at: expect.any(String) })
      expect((await admin("POST", `${REPLAY}/${started.body.replay_run.id}/cancel`)).status).toBe(409)

      // The row it was on when cancelled finishes; the run takes no other.
      await until(
        () => ordersOf(failed[0].email),
        (orders) => orders.length === 1,
        "the first row's order",
        60_000,
      )
      await new Promise((resolve) => setTimeout(resolve, 4_000))
      for (const row of failed.slice(1)) {
        expect((await inbox().listPaymentWebhookEvents({ id: row.id }))[0].status).toBe("failed")
      }
      expect((await runOf(started.body.replay_run.id)).status).toBe("cancelled")

      const again = await admin("POST", REPLAY, { since, provider: STRIPE })
      expect(again.status).toBe(202)
      expect(await ended(again.body.replay_run.id)).toMatchObject({ status: "done", total: 2, results: { processed: 2 } })
      for (const row of failed) {
        expect(await ordersOf(row.email)).toHaveLength(1)
      }
    })

    it("a run whose process went silent is taken over by the job and continues from its cursor", async () => {
      const since = new Date()
      const ids: string[] = []
      for (const n of [1, 2, 3]) {
        ids.push(
          await recordSettled(
            inbox(),
            {
              provider_id: STRIPE,
              event_id: `evt_bulk_replay_resume_${n}_${Date.now()}`,
              event_type: "charge.refunded",
              source: "webhook",
              body_hash: "test",
              raw_body: "{}",
            },
            { status: "failed", reason: "the PSP answered 500" },
          ),
        )
      }
      // A run that took the first row, then lost its process: recorded, never driven here, its heartbeat long silent.
      const orphan = await inbox().replayRuns.start({
        filter_status: "failed",
        filter_since: since,
        filter_until: new Date(),
        filter_provider: STRIPE,
        batch_size: 1,
        cursor: ids[0],
        total: 3,
        requested_by: null,
      })
      if (!("token" in orphan)) {
        throw new Error("another run is running")
      }
      await sql("UPDATE payment_webhook_replay_run SET heartbeat_at = now() - interval '10 minutes' WHERE id = $1", [orphan.run.id])

      // The job's pass takes it over, once; a second pass finds it held again.
      const { result } = await redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcile: false } })
      expect(result.replays).toEqual({ resumed: 1 })
      expect(await resumeStaleReplayRun(getContainer())).toEqual({ resumed: 0 })
      const done = await ended(orphan.run.id)
      expect(done).toMatchObject({ status: "done", taken: 2, cursor: ids[2] })
      expect((await inbox().listPaymentWebhookEvents({ id: ids[0] }))[0].status).toBe("failed")
      for (const id of ids.slice(1)) {
        expect((await inbox().listPaymentWebhookEvents({ id }))[0].status).not.toBe("failed")
      }
      // The silent process's claim no longer holds: were it to wake up, it could write nothing.
      expect(await inbox().replayRuns.noteAlive(orphan, { cursor: ids[0], results: done.results, not_replayable: 0 })).toBe(false)
    })
  },
})
