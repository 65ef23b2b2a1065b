import Stripe from "stripe"
import { isUnusableEventError } from "../../lib/errors"
import { storeMarker } from "../../lib/store-marker"
import { parseStripeOptions } from "./options"
import { signStripePayload } from "./signature"
import { interpretStripeDelivery, keyModeOf, verifyStripeDelivery } from "./webhook-source"

// No PaymentIntent event below needs Stripe: a client that could reach it would fail the test.
const unreachable = new Stripe("sk_test_unreachable", { host: "127.0.0.1", port: 9, protocol: "http", maxNetworkRetries: 0 })
const options = (apiKey: string) => parseStripeOptions({ apiKey, webhookSecret: "whsec_test" })

function succeeded(overrides: Record<string, unknown> = {}, livemode = false) {
  const intent = {
    id: "pi_1",
    object: "payment_intent",
    amount: 2500,
    amount_received: 2500,
    amount_capturable: 0,
    currency: "usd",
    metadata: { session_id: "payses_1" },
    status: "succeeded",
    ...overrides,
  }
  return { id: "evt_1", object: "event", type: "payment_intent.succeeded", livemode, data: { object: intent } }
}

async function unusable(body: unknown): Promise<string> {
  try {
    await interpretStripeDelivery(unreachable, options("sk_test_x"), { event_id: "evt_1", body })
  } catch (error) {
    if (isUnusableEventError(error)) {
      return "unusable"
    }
    throw error
  }
  return "used"
}

describe("interpretStripeDelivery", () => {
  it("maps a recorded PaymentIntent event without calling Stripe", async () => {
    const mapped = await interpretStripeDelivery(unreachable, options("sk_test_x"), { event_id: "evt_1", body: succeeded() })
    expect(mapped).toMatchObject({ action: "captured", data: { session_id: "payses_1", amount: 25 }, currency_code: "usd" })
  })

  it("says whether the intent carries this store's marker for its session (created before markers: not)", async () => {
    const interpret = async (metadata: Record<string, string>) =>
      (await interpretStripeDelivery(unreachable, options("sk_test_x"), { event_id: "evt_1", body: succeeded({ metadata }) })).created_here
    expect(await interpret({ session_id: "payses_1", store_marker: storeMarker(["whsec_test"], "payses_1") })).toBe(true)
    expect(await interpret({ session_id: "payses_1", store_marker: storeMarker(["whsec_another_store"], "payses_1") })).toBe(false)
    expect(await interpret({ session_id: "payses_1", store_marker: storeMarker(["whsec_test"], "payses_2") })).toBe(false)
    expect(await interpret({ session_id: "payses_1" })).toBe(false)
  })

  it("locates a marked intent for reconciliation, so a paid event whose session is gone can be checked with Stripe", async () => {
    const marked = await interpretStripeDelivery(unreachable, options("sk_test_x"), {
      event_id: "evt_1",
      body: succeeded({ metadata: { session_id: "payses_1", store_marker: storeMarker(["whsec_test"], "payses_1") } }),
    })
    expect(marked).toMatchObject({ created_here: true, session_data: { id: "pi_1" } })
    const unmarked = await interpretStripeDelivery(unreachable, options("sk_test_x"), { event_id: "evt_1", body: succeeded() })
    expect(unmarked).not.toHaveProperty("session_data")
  })

  it("sets aside an event whose mode differs from the key's", async () => {
    const live = await interpretStripeDelivery(unreachable, options("sk_test_x"), { event_id: "evt_1", body: succeeded({}, true) })
    expect(live).toMatchObject({ action: "not_supported", reason: "a live-mode event on a store using a test-mode key" })
    const test = await interpretStripeDelivery(unreachable, options("rk_live_x"), { event_id: "evt_1", body: succeeded() })
    expect(test).toMatchObject({ action: "not_supported", reason: "a test-mode event on a store using a live-mode key" })
  })

  it("calls content it cannot use unusable, so it is ignored rather than retried", async () => {
    expect(await unusable({ id: "evt_1", type: "payment_intent.succeeded" })).toBe("unusable")
    expect(await unusable({ ...succeeded(), data: null })).toBe("unusable")
    expect(await unusable(succeeded({ amount_received: "2500" }))).toBe("unusable")
    expect(await unusable(succeeded({ amount_received: 1e308 }))).toBe("unusable")
    expect(await unusable(succeeded({ amount_received: 25.5 }))).toBe("unusable")
    expect(await unusable(succeeded({ currency: 840 }))).toBe("unusable")
  })
})

describe("keyModeOf", () => {
  it("reads live and test from secret and restricted keys, and nothing from other keys", () => {
    expect([keyModeOf("sk_live_1"), keyModeOf("rk_live_1"), keyModeOf("sk_test_1"), keyModeOf("rk_test_1"), keyModeOf("fake")]).toEqual([
      "live",
      "live",
      "test",
      "test",
      undefined,
    ])
  })
})

describe("verifyStripeDelivery", () => {
  const body = JSON.stringify(succeeded())
  const signed = (headers: Record<string, string>) => ({
    rawData: Buffer.from(body),
    headers: { "stripe-signature": signStripePayload({ payload: body, secret: "whsec_test" }), ...headers },
  })

  it("names the event from the verified bytes, whatever body the framework parsed", () => {
    const forgedParse = { id: "evt_other", type: "charge.refunded" }
    const { delivery } = verifyStripeDelivery(options("sk_test_x"), {
      ...signed({ "content-type": "application/json; charset=utf-8" }),
      data: forgedParse,
    })
    expect(delivery).toEqual({ event_id: "evt_1", event_type: "payment_intent.succeeded" })
  })

  it("refuses any body Stripe would not send: another content type is a 400 before the signature is looked at", () => {
    expect(() => verifyStripeDelivery(options("sk_test_x"), signed({ "content-type": "application/x-www-form-urlencoded" }))).toThrow(
      "Stripe webhooks are JSON; this delivery is application/x-www-form-urlencoded",
    )
  })
})
