import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { storeMarker } from "../../src/lib/store-marker"
import { signYocoEvent } from "../../src/testing/sign"
import { FakeYoco, messageIdOf, newWebhookSecret, type FakeYocoEvent } from "../../src/testing/yoco"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { settledRowOfEvent } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { SeededStore } from "../support/seed"
import { StoreClient } from "../support/store-client"

jest.setTimeout(120_000)

// The fakes start before the runner boots the app, so medusa-config.ts registers pp_yoco_yoco
// against the Yoco fake and seedStore() adds the ZAR market.
const { yoco } = usePspFakes("whsec_yoco_spec")
/** The built-in route processes a delivery 5 s after answering; "no order" is asserted well past that. */
const PAST_CORE_DELAY_MS = 8_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One signed POST the way Yoco sends it (the `webhook-id` Yoco keeps across retries, a fresh
 * timestamp and signature); returns the status and the parsed answer.
 */
async function post(url: string, event: FakeYocoEvent, options: { secret?: string } = {}) {
  const { body, headers } = signYocoEvent(event, { secret: options.secret ?? yoco.webhookSecret, id: messageIdOf(event) })
  const response = await fetch(url, { method: "POST", headers, body })
  const text = await response.text()
  let json: Record<string, unknown> | undefined
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json }
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let seeded: SeededStore
    let client: StoreClient
    let emails = 0

    beforeAll(async () => {
      ;({ seeded, client } = await seededClient(getContainer(), api.defaults.baseURL))
    })

    const hookUrl = () => `${client.baseUrl}/hooks/payment/yoco_yoco`
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    const captured = (order: { payment_collections: Array<{ payments: Array<{ captured_at: string | null }> }> }) =>
      !!order.payment_collections[0]?.payments[0]?.captured_at

    /** A ZAR cart with a Yoco session whose checkout exists at the fake. */
    async function cartWithCheckout() {
      const email = `yoco-${++emails}-${Date.now()}@example.com`
      const cart = await client.cartReadyToPay({ ...seeded.markets.zar, variantId: seeded.variantId, email })
      const { session } = await client.startPayment(cart.id, "pp_yoco_yoco")
      return { email, cart, session, checkoutId: String(session.data.checkout_id) }
    }

    /** Checkouts the store asked the fake to create for `sessionId`. */
    const checkoutsCreatedFor = (sessionId: string) =>
      yoco.requests.filter((request) => {
        const metadata =
          request.method === "POST" &&
          request.path === "/api/checkouts" &&
          !request.replayed &&
          typeof request.body === "object" &&
          request.body
            ? (request.body as { metadata?: { session_id?: unknown } }).metadata
            : undefined
        return metadata?.session_id === sessionId
      })

    it("creates a ZAR checkout of the cart total in cents, linked to the session, and hands the storefront its redirect URL", async () => {
      const { cart, session, checkoutId } = await cartWithCheckout()
      expect(cart.currency_code).toBe("zar")
      expect(checkoutId).toMatch(/^ch_/)
      expect(session.data).toMatchObject({
        checkout_id: checkoutId,
        redirect_url: expect.stringContaining(checkoutId),
        session_id: session.id,
        mode: "test",
      })
      const checkout = yoco.checkout(checkoutId)
      expect(checkout).toMatchObject({ status: "created", amount: Math.round(cart.total * 100), currency: "ZAR", processingMode: "test" })
      expect(checkout.metadata.session_id).toBe(session.id)
      // Only this store can make the marker: a payment after Medusa deleted the session is still known as ours.
      expect(checkout.metadata.store_marker).toBe(storeMarker([yoco.webhookSecret], session.id))
      expect(checkout.successUrl).toContain(session.id)
      expect(checkoutsCreatedFor(session.id)).toHaveLength(1)
    })

    it("completes the cart into an order with a captured payment from the signed payment.succeeded", async () => {
      const { email, cart, checkoutId } = await cartWithCheckout()
      const { event, deliveries } = await yoco.pay(checkoutId, { deliverTo: hookUrl() })
      expect(event.payload).toMatchObject({ amount: Math.round(cart.total * 100), mode: "test", metadata: { checkoutId } })
      expect(deliveries[0]).toMatchObject({ delivered: true, attempts: [expect.objectContaining({ status: 200 })] })

      const order = await client.waitForOrder(email, { ready: captured })
      expect(order.total).toBe(cart.total)
      const [payment] = order.payment_collections[0].payments
      expect(payment.amount).toBe(cart.total)
      expect(payment.captured_at).not.toBeNull()
      expect(payment.captures).toHaveLength(1)
      expect(order.payment_status).toBe("captured")
      // Yoco captured when the customer paid: Medusa's capture must not have called Yoco for anything but reads.
      expect(
        yoco.requests.filter((request) => request.method === "POST" && request.path.startsWith(`/api/checkouts/${checkoutId}`)),
      ).toHaveLength(0)
    })

    it("refuses a forged event with 400 and never completes the cart", async () => {
      const { email, checkoutId } = await cartWithCheckout()
      const { event } = await yoco.pay(checkoutId, { deliverTo: [] })
      const forged = await post(hookUrl(), event, { secret: newWebhookSecret() })
      expect(forged.status).toBe(400)
      expect(forged.text).toContain("Webhook rejected")

      await sleep(PAST_CORE_DELAY_MS)
      expect(await client.orderByEmail(email)).toBeUndefined()
    })

    it("sets aside another integration's checkout, an unknown checkout and a live-mode event: 2xx, no order", async () => {
      const { email, session, checkoutId } = await cartWithCheckout()

      // Another integration on the same Yoco account creates and gets paid for its own checkout.
      const response = await fetch(`${yoco.url}/checkouts`, {
        method: "POST",
        headers: { authorization: `Bearer ${FakeYoco.TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ amount: 2500, currency: "ZAR", metadata: { orderId: "other-shop-42" } }),
      })
      const foreign = (await response.json()) as { id: string }
      const { event: foreignEvent } = await yoco.pay(foreign.id, { deliverTo: [] })
      // The same signed payment, but claiming our session in its metadata: the checkout says otherwise.
      const claimingOurs = yoco.buildEvent("payment.succeeded", foreign.id, {
        metadata: { checkoutId: foreign.id, session_id: session.id },
      })
      // A checkout this Yoco account does not know at all.
      const unknown = yoco.buildEvent("payment.succeeded", checkoutId, {
        metadata: { checkoutId: "ch_not_ours_at_all", session_id: session.id },
      })
      // Our own checkout, paid in live mode: this store runs on a test key.
      const { event: live } = await yoco.pay(checkoutId, { deliverTo: [], overrides: { mode: "live" } })

      const events = [foreignEvent, claimingOurs, unknown, live]
      for (const event of events) {
        const answer = await post(hookUrl(), event)
        expect([answer.status, answer.json]).toEqual([200, { received: true }])
      }
      const rows = await Promise.all(events.map((event) => settledRowOfEvent(inbox(), "yoco_yoco", messageIdOf(event))))
      expect(rows.map((row) => [row?.status, row?.last_error])).toEqual([
        ["ignored", expect.stringContaining("not created by this store")],
        ["ignored", expect.stringContaining("not created by this store")],
        ["ignored", expect.stringContaining("unknown to this Yoco account")],
        ["ignored", expect.stringContaining('mode "live" differs')],
      ])
      expect(await client.orderByEmail(email)).toBeUndefined()

      // The genuine test-mode event for the same checkout still completes the cart.
      const genuine = await post(hookUrl(), yoco.buildEvent("payment.succeeded", checkoutId))
      expect(genuine.status).toBe(200)
      const order = await client.waitForOrder(email, { ready: captured })
      expect(order.payment_collections[0].payments).toHaveLength(1)
    })

    it("processes a retried delivery (same webhook-id, fresh signature) once: one order, one capture, no second checkout or refund", async () => {
      const { email, cart, session, checkoutId } = await cartWithCheckout()
      const { event, deliveries } = await yoco.pay(checkoutId, { deliverTo: hookUrl() })
      expect(deliveries[0].delivered).toBe(true)
      // Yoco retries with the same webhook-id and a new timestamp and signature, e.g. after a slow answer.
      await sleep(1_100)
      const retried = await post(hookUrl(), event)
      expect(retried.status).toBe(200)
      expect(retried.json).toMatchObject({ received: true, duplicate: true })

      const order = await client.waitForOrder(email, { ready: captured })
      // A late retry, after the order exists, changes nothing either.
      const late = await post(hookUrl(), event)
      expect(late).toMatchObject({ status: 200, json: { duplicate: true } })
      await sleep(PAST_CORE_DELAY_MS)

      const again = await client.orderByEmail(email)
      expect(again?.id).toBe(order.id)
      const { orders } = await client.admin<{ orders: Array<{ id: string; email: string }> }>(
        "GET",
        `/admin/orders?q=${encodeURIComponent(email)}&fields=id,email`,
      )
      expect(orders.filter((candidate) => candidate.email === email)).toHaveLength(1)
      expect(again?.total).toBe(cart.total)
      expect(again?.payment_collections).toHaveLength(1)
      const payments = again!.payment_collections[0].payments
      expect(payments).toHaveLength(1)
      expect(payments[0].captures).toHaveLength(1)
      expect(payments[0].refunds ?? []).toHaveLength(0)
      expect(checkoutsCreatedFor(session.id)).toHaveLength(1)
      expect(yoco.requests.filter((request) => request.path.endsWith("/refund"))).toHaveLength(0)
      expect(yoco.checkout(checkoutId).refunds).toHaveLength(0)
    })
  },
})
