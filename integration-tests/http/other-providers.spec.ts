import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import type { PaymentWebhookList, PaymentWebhookSummary } from "../../src/types/admin-api"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import { Checkouts } from "../support/checkouts"
import { withDatabase } from "../support/database"
import { FakeAcme } from "../support/fake-acme"
import { rowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { StoreClient } from "../support/store-client"
import { until } from "../support/until"

jest.setTimeout(240_000)

const MEDUSA_STRIPE_SECRET = "whsec_medusa_own_provider"
const { stripe } = usePspFakes("whsec_this_package_provider")
const acme = new FakeAcme("acme_webhook_secret")

beforeAll(async () => {
  await acme.start()
  Object.assign(process.env, {
    MEDUSA_STRIPE_WEBHOOK_SECRET: MEDUSA_STRIPE_SECRET,
    ACME_API_BASE_URL: acme.url,
    ACME_WEBHOOK_SECRET: acme.webhookSecret,
    PAYMENT_WEBHOOKS_REDRIVE_AFTER_SECONDS: "0",
  })
})
afterAll(() => acme.stop())

// Medusa's Stripe provider builds its client with no API host; in this test store only, the SDK copy it
// requires builds every client against the loopback fake (Jest keeps its own module registry, hence doMock).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS helper shared with the child-process stores
const { medusaStripeSdkPath, withFakeHost } = require("../support/medusa-stripe-host.js")
jest.doMock(medusaStripeSdkPath(), () => withFakeHost(jest.requireActual(medusaStripeSdkPath()), stripe.url))

/**
 * Providers from other packages, through the same inbox as this package's own, with only the plugin
 * entry added: Medusa's own Stripe provider (`@medusajs/medusa/payment-stripe`, unchanged, its SDK pointed
 * at the loopback fake) and "Acme Pay", a provider package written here as a third party would (it knows
 * nothing of this plugin). Their own `getWebhookActionAndData` verifies at the edge; the inbox records,
 * deduplicates and re-drives.
 */
medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api, dbConfig }) => {
    let client: StoreClient
    let checkouts: Checkouts
    const failedAlerts: Array<Record<string, unknown>> = []
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      client = store.client
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: MEDUSA_STRIPE_SECRET, inbox }, "others")
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe("payment-webhooks.delivery_failed", async (event) => {
          failedAlerts.push(event.data as Record<string, unknown>)
        })
    })

    const hook = (key: string) => `${client.baseUrl}/hooks/payment/${key}`
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    /** Runs the processor over due rows (as the job does) until the event's row settled. */
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

    /** A cart whose payment session Medusa's own Stripe provider created (a PaymentIntent at the fake), authorized by the customer. */
    async function medusaStripeCart() {
      const { email, session } = await checkouts.cart("pp_stripe_medusa")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      return { email, session, intentId, event: stripe.eventFor(intentId, "payment_intent.amount_capturable_updated") }
    }

    describe("Medusa's own Stripe provider", () => {
      it("a paid cart becomes one order, verified at the edge by the provider itself", async () => {
        const { email, session, event } = await medusaStripeCart()
        const answer = await stripe.deliver(hook("stripe_medusa"), event, { secret: MEDUSA_STRIPE_SECRET })
        expect(answer.status).toBe(200)
        // Recorded with what the provider mapped it to, before the answer.
        expect(await rowOfEvent(inbox(), "stripe_medusa", event.id)).toMatchObject({
          action: "authorized",
          session_id: session.id,
          verified: true,
        })
        const order = await client.waitForOrder(email)
        expect(order.payment_collections[0].payments).toHaveLength(1)
        expect(await settled("stripe_medusa", event.id)).toMatchObject({ status: "processed" })
      })

      it("a forged delivery gets 400 and leaves nothing", async () => {
        const { email, event } = await medusaStripeCart()
        const forged = await stripe.deliver(hook("stripe_medusa"), event, { secret: "whsec_forged_by_someone" })
        expect(forged.status).toBe(400)
        expect(await rowOfEvent(inbox(), "stripe_medusa", event.id)).toBeUndefined()
        await sleep(3_000)
        expect(await client.orderByEmail(email)).toBeUndefined()
      })

      it("ten copies of one delivery at once make one row and one order", async () => {
        const { email, event } = await medusaStripeCart()
        const answers = await Promise.all(
          Array.from({ length: 10 }, () => stripe.deliver(hook("stripe_medusa"), event, { secret: MEDUSA_STRIPE_SECRET })),
        )
        expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200))
        expect(answers.filter((answer) => answer.body.includes("duplicate"))).toHaveLength(9)
        const order = await client.waitForOrder(email)
        expect(await settled("stripe_medusa", event.id)).toMatchObject({ status: "processed", deliveries: 10 })
        expect(order.payment_collections[0].payments).toHaveLength(1)
      })

      it("answers 503 while the inbox cannot be written, and places the order on the PSP's next delivery", async () => {
        const { email, event } = await medusaStripeCart()
        await withDatabase(dbConfig.clientUrl, async (blocker) => {
          await blocker.query("BEGIN")
          await blocker.query("LOCK TABLE payment_webhook_event IN ACCESS EXCLUSIVE MODE")
          const refused = await stripe.deliver(hook("stripe_medusa"), event, { secret: MEDUSA_STRIPE_SECRET })
          await blocker.query("ROLLBACK")
          expect(refused.status).toBe(503)
        })
        expect(await rowOfEvent(inbox(), "stripe_medusa", event.id)).toBeUndefined()
        expect((await stripe.deliver(hook("stripe_medusa"), event, { secret: MEDUSA_STRIPE_SECRET })).status).toBe(200)
        await client.waitForOrder(email)
      })

      it("is listed in the admin API, filterable by provider, with the providers the inbox serves", async () => {
        const { event } = await medusaStripeCart()
        expect((await stripe.deliver(hook("stripe_medusa"), event, { secret: MEDUSA_STRIPE_SECRET })).status).toBe(200)
        await settled("stripe_medusa", event.id)
        const { body: list } = await client.adminAnswer("GET", "/admin/payment-webhooks?provider=stripe_medusa")
        const page = list as PaymentWebhookList
        expect(page.payment_webhooks.map((row) => [row.provider_id, row.event_id, row.status])).toEqual([
          ["stripe_medusa", event.id, "processed"],
        ])
        const { body: summary } = await client.adminAnswer("GET", "/admin/payment-webhooks/summary")
        expect((summary as PaymentWebhookSummary).providers).toEqual(
          expect.arrayContaining(["stripe_medusa", "acme_acme", "acme_slow", "stripe_stripe"]),
        )
      })
    })

    describe("a provider package of a third party", () => {
      it("a paid cart becomes one order; a forged delivery gets 400", async () => {
        const { email, session } = await checkouts.cart("pp_acme_acme")
        const event = acme.pay(String(session.data.acme_id))
        expect((await acme.deliver(hook("acme_acme"), { ...event, id: `${event.id}_forged` }, { secret: "not_acme" })).status).toBe(400)
        expect(await rowOfEvent(inbox(), "acme_acme", `${event.id}_forged`)).toBeUndefined()

        expect((await acme.deliver(hook("acme_acme"), event)).status).toBe(200)
        const order = await client.waitForOrder(email, { ready: (o) => (o.payment_collections[0]?.payments[0]?.captures ?? []).length > 0 })
        expect(order.payment_collections[0].payments).toHaveLength(1)
        expect(await settled("acme_acme", event.id)).toMatchObject({ status: "processed", action: "captured" })
      })

      it("a provider that verifies over its slow API: recorded unverified at once, verified by the processor, an order", async () => {
        acme.verifyDelayMs = 3_000
        try {
          const { email, session } = await checkouts.cart("pp_acme_slow")
          const event = acme.pay(String(session.data.acme_id))
          const started = Date.now()
          expect((await acme.deliver(hook("acme_slow"), event)).status).toBe(200)
          expect(Date.now() - started).toBeLessThan(2_900)
          expect(await rowOfEvent(inbox(), "acme_slow", event.id)).toMatchObject({ verified: false })
          expect(await settled("acme_slow", event.id)).toMatchObject({ status: "processed", verified: true, verify_headers: null })
          await client.waitForOrder(email)
        } finally {
          acme.verifyDelayMs = 0
        }
      })

      it("a forgery at the slow provider ends ignored (signature), its body dropped, no alert, never an order", async () => {
        acme.verifyDelayMs = 3_000
        try {
          const { email, session } = await checkouts.cart("pp_acme_slow")
          const event = acme.pay(String(session.data.acme_id))
          const alerts = failedAlerts.length
          expect((await acme.deliver(hook("acme_slow"), event, { secret: "forger" })).status).toBe(200)
          const row = await settled("acme_slow", event.id)
          expect(row).toMatchObject({ status: "ignored", verified: false, raw_body: null, verify_headers: null, needs_attention: false })
          expect(row?.last_error).toMatch(/^signature: /)
          expect(failedAlerts.slice(alerts)).toEqual([])
          expect(await client.orderByEmail(email)).toBeUndefined()
        } finally {
          acme.verifyDelayMs = 0
        }
      })
    })
  },
})
