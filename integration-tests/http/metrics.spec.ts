import http from "node:http"
import type { AddressInfo } from "node:net"
import { metrics, trace } from "@opentelemetry/api"
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from "@opentelemetry/sdk-metrics"
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@medusajs/framework/opentelemetry/sdk-trace-node"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { Logger } from "@medusajs/framework/types"
import { instrumentHttpLayer } from "@medusajs/medusa"
import * as startCommand from "@medusajs/medusa/commands/start"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { signStripePayload } from "../../src/providers/stripe/signature"
import { METER_NAME, MetricNames } from "../../src/webhooks/telemetry/metrics"
import { watchBacklog } from "../../src/webhooks/alerts/backlog"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { Checkouts } from "../support/checkouts"
import { withDatabase } from "../support/database"
import { settledRowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { StoreClient } from "../support/store-client"
import { until } from "../support/until"

jest.setTimeout(180_000)

/** A reader the test collects on demand (cumulative: every figure is a total since the app booted). */
class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

// As a store's instrumentation.ts does, before the app boots: a meter provider, a tracer provider,
// and Medusa's own HTTP tracing (which copies every request header into the request's span).
const reader = new OnDemandReader()
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
const spans = new InMemorySpanExporter()
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }))
instrumentHttpLayer()

type Point = { attributes: Record<string, unknown>; value: number | Histogram }

/** The data points of one of the plugin's metrics, as an exporter would receive them now. */
async function pointsOf(name: string): Promise<Point[]> {
  const { resourceMetrics } = await reader.collect()
  return resourceMetrics.scopeMetrics
    .filter((scope) => scope.scope.name === METER_NAME)
    .flatMap((scope) => scope.metrics)
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) =>
      (metric.dataPoints as Array<DataPoint<number | Histogram>>).map((point) => ({ attributes: point.attributes, value: point.value })),
    )
}

const matches = (point: Point, where: Record<string, string>) =>
  Object.entries(where).every(([key, value]) => point.attributes[key] === value)

/** A counter's or gauge's total over the points whose attributes match. */
async function total(name: string, where: Record<string, string> = {}): Promise<number> {
  return (await pointsOf(name))
    .filter((point) => matches(point, where))
    .reduce((sum, point) => sum + (typeof point.value === "number" ? point.value : 0), 0)
}

/** How many values a histogram recorded over the points whose attributes match. */
async function recorded(name: string, where: Record<string, string> = {}): Promise<number> {
  return (await pointsOf(name))
    .filter((point) => matches(point, where))
    .reduce((sum, point) => sum + (typeof point.value === "number" ? 0 : point.value.count), 0)
}

/** A front server built as `medusa start` builds its own: every request through Medusa's `traceRequestHandler`, then on to the app. */
async function tracedFront(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    void startCommand.traceRequestHandler(
      async () => {
        const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        req.pipe(upstream)
      },
      req,
      res,
      undefined,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

const STRIPE_SECRET = "whsec_metrics_secret"
const { stripe } = usePspFakes(STRIPE_SECRET)
const STRIPE = "stripe_stripe"

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let client: StoreClient
    let adminSecret: string
    let checkouts: Checkouts
    let front: { url: string; close: () => Promise<void> }
    const alerts: Array<{ name: string; data: Record<string, unknown> }> = []
    const logSpies: jest.SpyInstance[] = []
    let errorSpy: jest.SpyInstance

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      adminSecret = store.adminSecret
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "metrics")
      front = await tracedFront(client.baseUrl)
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      for (const name of [
        "payment-webhooks.delivery_failed",
        "payment-webhooks.backlog_stale",
        "payment-webhooks.payment_needs_attention",
        "payment-webhooks.amount_mismatch",
      ]) {
        eventBus.subscribe(name, async (event) => void alerts.push({ name, data: event.data as Record<string, unknown> }))
      }
      const logger = getContainer().resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      for (const level of ["warn", "info", "debug", "http", "log"] as const) {
        logSpies.push(jest.spyOn(logger, level))
      }
      errorSpy = jest.spyOn(logger, "error")
      logSpies.push(errorSpy)
    })

    afterAll(async () => {
      await front?.close()
    })

    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const redrive = (input: { reconcile?: boolean; reconcileAfterSeconds?: number } = {}) =>
      redrivePaymentWebhooksWorkflow(getContainer()).run({ input: { reconcile: false, ...input } })
    const errorLines = () => errorSpy.mock.calls.map((call: unknown[]) => call.map(String).join(" "))
    const everyLogLine = () => logSpies.flatMap((spy) => spy.mock.calls.map((call: unknown[]) => call.map(String).join(" ")))
    /** Every signature the edge was sent, forged ones included. */
    const signaturesSent: string[] = []
    const alertsNamed = (name: string) => alerts.filter((alert) => alert.name === `payment-webhooks.${name}`)

    async function post(url: string, body: string, headers: Record<string, string>) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
      return response.status
    }

    it("counts deliveries by outcome, times answers and processing, counts attempts and lookups, and reports the backlog", async () => {
      // Paid, with its webhook delivered twice through a traced server; a forged Stripe and a forged Yoco delivery.
      const paid = await checkouts.stripeCart()
      stripe.authorize(paid.intentId)
      stripe.succeed(paid.intentId)
      const event = stripe.eventFor(paid.intentId, "payment_intent.succeeded")
      const first = await stripe.deliver(`${front.url}/hooks/payment/${STRIPE}`, event, { secret: STRIPE_SECRET })
      const again = await stripe.deliver(`${front.url}/hooks/payment/${STRIPE}`, event, { secret: STRIPE_SECRET })
      const forgedBody = stripe.payloadOf(event)
      const forgedSignature = signStripePayload({ payload: forgedBody, secret: "whsec_forged" })
      const yocoSignature = "v1,Zm9yZ2VkIHNpZ25hdHVyZSBvZiBhIGZvcmdlZCBib2R5"
      signaturesSent.push(String(first.signature), String(again.signature), forgedSignature, yocoSignature)
      const forged = [
        await post(`${front.url}/hooks/payment/${STRIPE}`, forgedBody, { "stripe-signature": forgedSignature }),
        await post(`${front.url}/hooks/payment/yoco_yoco`, `{"id":"evt_forged","type":"payment.succeeded"}`, {
          "webhook-id": "msg_forged",
          "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
          "webhook-signature": yocoSignature,
        }),
      ]
      expect([first.status, again.status, ...forged]).toEqual([200, 200, 400, 400])
      expect(await settledRowOfEvent(inbox(), STRIPE, event.id)).toMatchObject({ status: "processed" })
      await client.waitForOrder(paid.email)
      // Each step of that delivery, from the edge to the settled row, is a span of its own, with no payload on it.
      const steps = spans.getFinishedSpans().filter((span) => span.name.startsWith("payment_webhooks."))
      const stepNames = new Set(steps.map((span) => span.name.replace("payment_webhooks.", "")))
      for (const name of ["edge", "edge.verify", "edge.record", "process", "claim", "attempt", "interpret"]) {
        expect(stepNames).toContain(name)
      }
      for (const name of ["lock.acquire", "read_payment", "workflow", "lock.release", "settle", "report"]) {
        expect(stepNames).toContain(name)
      }
      expect(steps.filter((span) => span.name === "payment_webhooks.edge.record")).toHaveLength(2)
      expect(steps.flatMap((span) => Object.keys(span.attributes))).toEqual([])

      // Authorized at Stripe with no webhook at all (found by reconciliation), and a session never paid.
      const silent = await checkouts.stripeCart()
      stripe.authorize(silent.intentId)
      await checkouts.stripeCart()
      await redrive({ reconcile: true, reconcileAfterSeconds: 0 })
      await client.waitForOrder(silent.email)

      const deliveries = { provider: STRIPE, event_type: "payment_intent.succeeded" }
      expect(await total(MetricNames.DELIVERIES, { ...deliveries, outcome: "recorded" })).toBe(1)
      expect(await total(MetricNames.DELIVERIES, { ...deliveries, outcome: "duplicate" })).toBe(1)
      // A refused delivery's type is never taken from its unverified body.
      expect(await total(MetricNames.DELIVERIES, { provider: STRIPE, event_type: "unknown", outcome: "rejected" })).toBe(1)
      expect(await total(MetricNames.DELIVERIES, { provider: "yoco_yoco", event_type: "unknown", outcome: "rejected" })).toBe(1)
      expect(await total(MetricNames.DELIVERIES)).toBe(4)
      expect(await recorded(MetricNames.ACK_DURATION, { provider: STRIPE })).toBe(3)
      expect(await recorded(MetricNames.ACK_DURATION, { provider: STRIPE, outcome: "rejected" })).toBe(1)
      // The webhook's row and the one reconciliation recorded, each processed at its first attempt.
      expect(await recorded(MetricNames.TIME_TO_SETTLE, { provider: STRIPE, outcome: "processed" })).toBe(2)
      expect(await total(MetricNames.ATTEMPTS, { provider: STRIPE, outcome: "processed" })).toBe(2)
      expect(await total(MetricNames.ATTEMPTS)).toBe(2)
      expect(await total(MetricNames.FAILURES)).toBe(0)
      expect(await total(MetricNames.RECONCILIATION_LOOKUPS, { provider: STRIPE, outcome: "paid" })).toBe(1)
      expect(await total(MetricNames.RECONCILIATION_LOOKUPS, { provider: STRIPE, outcome: "unpaid" })).toBe(1)
      expect(await total(MetricNames.BACKLOG_SIZE)).toBe(0)
      expect(await total(MetricNames.BACKLOG_OLDEST_AGE)).toBe(0)
      // Attributes are low-cardinality: no event, session or delivery id anywhere.
      const allPoints = (await Promise.all(Object.values(MetricNames).map(pointsOf))).flat()
      expect(allPoints.length).toBeGreaterThan(0)
      expect(JSON.stringify(allPoints.map((point) => point.attributes))).not.toMatch(/evt_|pi_|payses_|pwhevt_/)
    })

    it("keeps the signature headers out of Medusa's request spans and out of every log line", async () => {
      // An admin's request through the same traced server: its credentials must not reach the span either.
      const credentials = {
        authorization: `Basic ${Buffer.from(`${adminSecret}:`).toString("base64")}`,
        cookie: "connect.sid=s%3Asecret-session",
        "x-medusa-access-token": "tok_secret",
      }
      const admin = await fetch(`${front.url}/admin/payment-webhooks/summary`, { headers: { accept: "application/json", ...credentials } })
      expect(admin.status).toBe(200)
      const adminSpan = spans
        .getFinishedSpans()
        .find((span) => String(span.attributes["http.url"] ?? "").startsWith("/admin/payment-webhooks/summary"))
      expect(adminSpan?.attributes.accept).toBe("application/json")
      const credentialLeaks = spans.getFinishedSpans().flatMap((span) =>
        Object.entries(span.attributes)
          .filter(
            ([name, value]) =>
              ["authorization", "cookie", "x-medusa-access-token"].includes(name) ||
              Object.values(credentials).some((secret) => String(value).includes(secret)),
          )
          .map(([name]) => `${span.name}: ${name}`),
      )
      expect(credentialLeaks).toEqual([])

      const hookSpans = spans.getFinishedSpans().filter((span) => String(span.attributes["http.url"] ?? "").startsWith("/hooks/payment/"))
      // The two Stripe deliveries and the two forged ones went through Medusa's request tracing...
      expect(hookSpans).toHaveLength(4)
      // ...which copied their headers into the span, all but the signatures.
      expect(hookSpans.every((span) => String(span.attributes["content-type"]).startsWith("application/json"))).toBe(true)
      expect(hookSpans.some((span) => span.attributes["webhook-id"] === "msg_forged")).toBe(true)
      expect(signaturesSent).toHaveLength(4)
      expect(signaturesSent.every((signature) => signature.length > 20)).toBe(true)
      // No span (of any request) holds a signature header or a signature's value, and no log line a signature.
      const leaked = spans.getFinishedSpans().flatMap((span) =>
        Object.entries(span.attributes)
          .filter(
            ([name, value]) =>
              name.endsWith("-signature") || signaturesSent.some((signature) => JSON.stringify(value ?? "").includes(signature)),
          )
          .map(([name]) => `${span.name}: ${name}`),
      )
      expect(leaked).toEqual([])
      const logs = everyLogLine().join("\n")
      expect(logs).toContain("Refused a yoco_yoco webhook")
      expect(signaturesSent.filter((signature) => logs.includes(signature))).toEqual([])
    })

    it("alerts once, with one error line naming the ids, when a delivery ends failed", async () => {
      const { email, session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const wrong = stripe.buildEvent("payment_intent.amount_capturable_updated", { ...stripe.intent(intentId), amount_capturable: 100 })
      expect((await stripe.deliver(`${client.baseUrl}/hooks/payment/${STRIPE}`, wrong, { secret: STRIPE_SECRET })).status).toBe(200)
      const row = await settledRowOfEvent(inbox(), STRIPE, wrong.id)
      expect(row).toMatchObject({ status: "failed" })
      const [failed] = await until(
        async () => alertsNamed("delivery_failed"),
        (found) => found.length > 0,
        "delivery_failed",
      )
      // A failed row is never taken up again: the alert stays one.
      await redrive()
      expect(alertsNamed("delivery_failed")).toHaveLength(1)
      expect(failed.data).toMatchObject({
        delivery_id: row.id,
        provider_id: STRIPE,
        event_id: wrong.id,
        event_type: "payment_intent.amount_capturable_updated",
        session_id: session.id,
        psp_reference: intentId,
        attempts: 1,
        reason: expect.stringContaining("differs from the session's"),
      })
      const lines = errorLines().filter((line) => line.includes(wrong.id))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain("Payment webhook delivery failed")
      for (const id of [session.id, intentId, row.id]) {
        expect(lines[0]).toContain(id)
      }
      expect(alertsNamed("payment_needs_attention").some((alert) => alert.data.session_id === session.id)).toBe(true)
      expect(await total(MetricNames.FAILURES, { provider: STRIPE, outcome: "failed" })).toBe(1)
      expect(await recorded(MetricNames.TIME_TO_SETTLE, { provider: STRIPE, outcome: "failed" })).toBe(1)
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("alerts once when a delivery has been due longer than alertBacklogAgeSeconds, never for one in its retry backoff, and the gauges show it", async () => {
      const record = async (name: string) =>
        (
          await inbox().recordDelivery({
            provider_id: STRIPE,
            event_id: `evt_stale_${name}_${Date.now()}`,
            event_type: "payment_intent.succeeded",
            source: "webhook",
            body_hash: "stale",
            raw_body: "{}",
          })
        ).id
      const inBackoff = await record("backoff")
      const ids: string[] = []
      await withDatabase(dbConfig.clientUrl, async (db) => {
        try {
          // Received five hours ago and retried since: waiting out a backoff that outlasts the test. Not late.
          await db.query(
            `UPDATE payment_webhook_event SET received_at = now() - interval '5 hours', next_attempt_at = now() + interval '1 hour' WHERE id = $1`,
            [inBackoff],
          )
          const errorsBefore = errorLines().length
          await redrive()
          expect(alertsNamed("backlog_stale")).toHaveLength(0)
          expect(await total(MetricNames.BACKLOG_SIZE)).toBe(1)
          expect(await total(MetricNames.BACKLOG_OLDEST_AGE)).toBe(0)

          // Due for three and two hours, nobody's claim on them. The job would take them up at once, so
          // its look at the backlog runs here on its own, as the job runs it after a pass that could not clear them.
          ids.push(await record("due_3h"), await record("due_2h"))
          await db.query(
            `UPDATE payment_webhook_event SET received_at = now() - make_interval(hours => CASE WHEN id = $1 THEN 3 ELSE 2 END) WHERE id = ANY($2)`,
            [ids[0], ids],
          )
          await watchBacklog(getContainer(), inbox())
          await watchBacklog(getContainer(), inbox())
          const [stale] = await until(
            async () => alertsNamed("backlog_stale"),
            (found) => found.length > 0,
            "backlog_stale",
          )
          await new Promise((resolve) => setTimeout(resolve, 1_000))
          expect(alertsNamed("backlog_stale")).toHaveLength(1)
          expect(stale.data).toMatchObject({ count: 3, oldest_id: ids[0], oldest_provider_id: STRIPE, threshold_seconds: 900 })
          expect(Number(stale.data.oldest_age_seconds)).toBeGreaterThanOrEqual(3 * 3600)
          expect(Number(stale.data.oldest_age_seconds)).toBeLessThan(5 * 3600)
          const newErrors = errorLines()
            .slice(errorsBefore)
            .filter((line) => line.includes("backlog"))
          expect(newErrors).toHaveLength(1)
          expect(newErrors[0]).toContain(ids[0])
          expect(await total(MetricNames.BACKLOG_SIZE)).toBe(3)
          expect(await total(MetricNames.BACKLOG_OLDEST_AGE)).toBeGreaterThanOrEqual(3 * 3600)
          // The health check reads the same figures.
          const { body } = await client.adminAnswer("GET", "/admin/payment-webhooks/health")
          expect(body.backlog).toMatchObject({ unprocessed: 3, oldest_age_seconds: expect.any(Number) })
          expect(body.backlog.oldest_age_seconds).toBeGreaterThanOrEqual(3 * 3600)
          expect(body.backlog.oldest_age_seconds).toBeLessThan(5 * 3600)
        } finally {
          await db.query(`DELETE FROM payment_webhook_event WHERE id = ANY($1)`, [[inBackoff, ...ids]])
        }
      })
    })

    it("says nothing again when a person replays a failed payment that needs attention and it fails again", async () => {
      const { session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const wrong = stripe.buildEvent("payment_intent.amount_capturable_updated", { ...stripe.intent(intentId), amount_capturable: 100 })
      expect((await stripe.deliver(`${client.baseUrl}/hooks/payment/${STRIPE}`, wrong, { secret: STRIPE_SECRET })).status).toBe(200)
      const row = await settledRowOfEvent(inbox(), STRIPE, wrong.id)
      expect(row).toMatchObject({ status: "failed", needs_attention: true })
      const ofThis = (name: string) => alertsNamed(name).filter((alert) => alert.data.session_id === session.id)
      await until(
        async () => [...ofThis("delivery_failed"), ...ofThis("payment_needs_attention"), ...ofThis("amount_mismatch")],
        (found) => found.length === 3,
        "the alerts",
      )
      const linesOfThis = () => errorLines().filter((line) => line.includes(wrong.id) || line.includes(intentId))
      const linesBefore = linesOfThis().length

      const replayed = await client.adminAnswer("POST", `/admin/payment-webhooks/${row.id}/replay`)
      expect(replayed.status).toBe(200)
      expect(replayed.body).toMatchObject({ result: { status: "failed" }, payment_webhook: { status: "failed", needs_attention: true } })
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(ofThis("delivery_failed")).toHaveLength(1)
      expect(ofThis("payment_needs_attention")).toHaveLength(1)
      expect(ofThis("amount_mismatch")).toHaveLength(1)
      expect(linesOfThis()).toHaveLength(linesBefore)
    })

    it("gives up on a payment whose attempts never finished: flagged for a person, with both alerts naming it", async () => {
      const { session, intentId } = await checkouts.stripeCart()
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      // Recorded, then claimed `maxAttempts` times by processes that died before they settled it.
      const { id } = await inbox().recordDelivery({
        provider_id: STRIPE,
        event_id: event.id,
        event_type: event.type,
        source: "webhook",
        body_hash: "test",
        raw_body: stripe.payloadOf(event),
      })
      await withDatabase(dbConfig.clientUrl, (db) =>
        db.query("UPDATE payment_webhook_event SET attempts = $2 WHERE id = $1", [id, inbox().inboxOptions.maxAttempts]),
      )
      expect(await processDelivery(getContainer(), id)).toMatchObject({ status: "failed", reason: expect.stringContaining("gave up") })
      expect((await inbox().listPaymentWebhookEvents({ id }))[0]).toMatchObject({ status: "failed", needs_attention: true })
      const [attention] = await until(
        async () => alertsNamed("payment_needs_attention").filter((alert) => alert.data.event_id === event.id),
        (found) => found.length > 0,
        "payment_needs_attention",
      )
      expect(attention.data).toMatchObject({ session_id: session.id, psp_reference: intentId, reason: expect.stringContaining("gave up") })
      await until(
        async () => alertsNamed("delivery_failed").filter((alert) => alert.data.event_id === event.id),
        (found) => found.length === 1,
        "delivery_failed",
      )
    })
  },
})
