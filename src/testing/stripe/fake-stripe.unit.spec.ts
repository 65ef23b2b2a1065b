import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http"
import Stripe from "stripe"
import { verifyStripeSignature } from "../../providers/stripe/signature"
import { FakeStripe } from "./index"

const SECRET = "whsec_fake_unit_secret"
const fake = new FakeStripe({ webhookSecret: SECRET })
let stripe: Stripe

beforeAll(async () => {
  await fake.start()
  stripe = new Stripe("sk_test_fake_unit", fake.clientConfig())
})

afterAll(async () => {
  await fake.stop()
})

function idOf(object: object): unknown {
  return "id" in object ? object.id : undefined
}

/** A raw form request, for encodings the SDK never produces (`expand[]=`, empty values). */
function rawForm(method: string, path: string, form: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${fake.url}${path}${method === "GET" ? `?${form}` : ""}`, {
      method,
      headers: { Authorization: "Bearer sk_test_raw", "Content-Type": "application/x-www-form-urlencoded" },
    })
    req.on("response", (res) => {
      const chunks: Buffer[] = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }))
    })
    req.on("error", reject)
    req.end(method === "POST" ? form : undefined)
  })
}

function manualIntent(metadata: Record<string, string> = { session_id: "payses_1" }) {
  return stripe.paymentIntents.create({ amount: 2500, currency: "EUR", capture_method: "manual", metadata })
}

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      return error
    }
    throw error
  }
  throw new Error("expected the Stripe call to fail")
}

describe("FakeStripe PaymentIntents through the real SDK", () => {
  it("creates, authorizes and captures exactly once; a second capture is refused with the intent", async () => {
    const created = await manualIntent()
    expect(created).toMatchObject({
      object: "payment_intent",
      status: "requires_payment_method",
      amount: 2500,
      currency: "eur",
      capture_method: "manual",
      metadata: { session_id: "payses_1" },
      livemode: false,
      latest_charge: null,
    })
    expect(created.id).toMatch(/^pi_/)
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`))

    expect(fake.authorize(created.id)).toMatchObject({ status: "requires_capture", amount_capturable: 2500 })

    const captured = await stripe.paymentIntents.capture(created.id)
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 2500, amount_capturable: 0 })
    expect(fake.captureCount(created.id)).toBe(1)

    const error = await rejection(stripe.paymentIntents.capture(created.id))
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError)
    expect(error.statusCode).toBe(400)
    expect(error.code).toBe("payment_intent_unexpected_state")
    expect(error.payment_intent).toMatchObject({ id: created.id, status: "succeeded" })
    expect(fake.captureCount(created.id)).toBe(1)
  })

  it("sends bracket-encoded forms and an automatic idempotency key on every POST", async () => {
    const created = await manualIntent({ session_id: "payses_brackets" })
    const recorded = fake.requests.find((entry) => entry.method === "POST" && entry.path === "/v1/payment_intents")
    expect(recorded?.idempotencyKey).toMatch(/^stripe-node-retry-/)
    expect(recorded?.stripeVersion).toBe(Stripe.API_VERSION)
    const last = fake.requests[fake.requests.length - 1]
    expect(last?.body).toEqual({
      amount: "2500",
      currency: "EUR",
      capture_method: "manual",
      metadata: { session_id: "payses_brackets" },
    })
    const expanded = await stripe.paymentIntents.retrieve(created.id, { expand: ["latest_charge", "payment_method"] })
    expect(expanded.latest_charge).toBeNull()
  })

  it("confirms on create with a test card, and reads expand[] and metadata[key]= (unset) encodings", async () => {
    const created = await stripe.paymentIntents.create({
      amount: 3000,
      currency: "usd",
      capture_method: "manual",
      confirm: true,
      payment_method: "pm_card_visa",
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
      metadata: { session_id: "payses_confirm", drop_me: "x" },
    })
    expect(created).toMatchObject({ status: "requires_capture", amount_capturable: 3000 })
    expect(created.payment_method).toMatch(/^pm_/)
    expect(created.payment_method).not.toBe("pm_card_visa")
    expect(fake.captureCount(created.id)).toBe(0)

    const updated = await rawForm("POST", `/v1/payment_intents/${created.id}`, "metadata[drop_me]=&expand[]=latest_charge")
    expect(updated.status).toBe(200)
    expect(updated.json).toMatchObject({
      metadata: { session_id: "payses_confirm" },
      latest_charge: { object: "charge", captured: false },
    })
    expect(updated.json).not.toHaveProperty("metadata.drop_me")
    const retrieved = await rawForm("GET", `/v1/payment_intents/${created.id}`, "expand[]=payment_method")
    expect(retrieved.json).toMatchObject({ payment_method: { object: "payment_method", card: { last4: "4242" } } })
  })

  it("replays an idempotent create and refuses the key for other parameters", async () => {
    const params = { amount: 1000, currency: "usd", metadata: { session_id: "payses_idem" } }
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: "create-payses_idem" })
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: "create-payses_idem" })
    expect(second.id).toBe(first.id)
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true")
    expect(fake.requests.filter((entry) => entry.idempotencyKey === "create-payses_idem").map((entry) => entry.replayed)).toEqual([
      false,
      true,
    ])

    const misuse = await rejection(stripe.paymentIntents.create({ ...params, amount: 2000 }, { idempotencyKey: "create-payses_idem" }))
    expect(misuse).toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
  })

  it("expands the latest charge of an authorized intent", async () => {
    const created = await manualIntent()
    fake.authorize(created.id)
    const intent = await stripe.paymentIntents.retrieve(created.id, { expand: ["latest_charge"] })
    const charge = intent.latest_charge
    if (charge === null || typeof charge === "string") {
      throw new Error("latest_charge was not expanded")
    }
    expect(charge).toMatchObject({ object: "charge", captured: false, amount: 2500, payment_intent: created.id })
  })

  it("refunds partially, then the rest, then refuses to refund more", async () => {
    const created = await stripe.paymentIntents.create({ amount: 5000, currency: "usd" })
    fake.succeed(created.id)

    const tooLarge = await rejection(stripe.refunds.create({ payment_intent: created.id, amount: 6000 }))
    expect(tooLarge.code).toBe("amount_too_large")
    expect(tooLarge.param).toBe("amount")

    const partial = await stripe.refunds.create({ payment_intent: created.id, amount: 1500 })
    expect(partial).toMatchObject({ object: "refund", status: "succeeded", amount: 1500, payment_intent: created.id })
    const rest = await stripe.refunds.create({ payment_intent: created.id })
    expect(rest.amount).toBe(3500)

    const again = await rejection(stripe.refunds.create({ payment_intent: created.id }))
    expect(again.statusCode).toBe(400)
    expect(again.code).toBe("charge_already_refunded")

    const charge = await stripe.charges.retrieve(String(partial.charge))
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true })
    const listed = await stripe.refunds.list({ payment_intent: created.id })
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, partial.id])
    expect(fake.refundsOf(created.id)).toHaveLength(2)
  })

  it("refuses to refund an intent that has not been paid", async () => {
    const created = await manualIntent()
    const error = await rejection(stripe.refunds.create({ payment_intent: created.id }))
    // The SDK (23.2+) puts the request's id before Stripe's message.
    expect(error.message).toMatch(
      new RegExp(`^\\[req_\\w+\\] This PaymentIntent \\(${created.id}\\) does not have a successful charge to refund\\.$`),
    )
  })

  it("cancels an authorization once; canceling again is refused with the intent", async () => {
    const created = await manualIntent()
    fake.authorize(created.id)
    const canceled = await stripe.paymentIntents.cancel(created.id, { cancellation_reason: "requested_by_customer" })
    expect(canceled).toMatchObject({ status: "canceled", amount_capturable: 0, cancellation_reason: "requested_by_customer" })

    const error = await rejection(stripe.paymentIntents.cancel(created.id))
    expect(error.code).toBe("payment_intent_unexpected_state")
    expect(error.payment_intent?.status).toBe("canceled")
  })

  it("declines a test card on confirmation with Stripe's 402 card error", async () => {
    const created = await stripe.paymentIntents.create({ amount: 700, currency: "usd" })
    const error = await rejection(stripe.paymentIntents.confirm(created.id, { payment_method: "pm_card_chargeDeclined" }))
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect(error).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" })
    const intent = await stripe.paymentIntents.retrieve(created.id)
    expect(intent.status).toBe("requires_payment_method")
    expect(intent.last_payment_error?.code).toBe("card_declined")
  })

  it("refuses to change the amount of a paid intent but lets metadata change", async () => {
    const created = await stripe.paymentIntents.create({ amount: 900, currency: "usd" })
    fake.succeed(created.id)
    const error = await rejection(stripe.paymentIntents.update(created.id, { amount: 1000 }))
    expect(error.code).toBe("payment_intent_unexpected_state")
    const updated = await stripe.paymentIntents.update(created.id, { metadata: { order_id: "order_1" } })
    expect(updated.metadata).toEqual({ order_id: "order_1" })
  })

  it("answers unknown ids, unknown parameters and unknown routes as Stripe does", async () => {
    const missing = await rejection(stripe.paymentIntents.retrieve("pi_missing"))
    expect(missing).toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      message: expect.stringMatching(/^\[req_\w+\] No such payment_intent: 'pi_missing'$/),
    })

    const unknownParam = await rejection(stripe.rawRequest("POST", "/v1/payment_intents", { amount: 100, currency: "usd", colour: "red" }))
    expect(unknownParam).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "colour" })

    const route = await rejection(stripe.rawRequest("GET", "/v1/nothing_here", {}))
    expect(route.statusCode).toBe(404)
    expect(route.message).toMatch(/^\[req_\w+\] Unrecognized request URL \(GET: \/v1\/nothing_here\)/)
  })

  it("retries an injected 500 with the same idempotency key, as the SDK does by default", async () => {
    fake.failNext({ method: "POST", path: "/v1/payment_intents", status: 500 })
    const before = fake.requests.length
    await stripe.paymentIntents.create({ amount: 100, currency: "usd" })
    const attempts = fake.requests.slice(before)
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200])
    expect(attempts[0]?.idempotencyKey).toBe(attempts[1]?.idempotencyKey)
  })
})

describe("FakeStripe customers and payment methods", () => {
  it("creates a customer, lists its saved cards, detaches one and deletes the customer", async () => {
    const customer = await stripe.customers.create({ email: "ada@example.com", metadata: { medusa: "cus_01" } })
    expect(customer).toMatchObject({ object: "customer", email: "ada@example.com", metadata: { medusa: "cus_01" } })
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([])

    const setup = await stripe.setupIntents.create({ customer: customer.id })
    expect(setup.status).toBe("requires_payment_method")
    fake.completeSetup(setup.id)
    const listed = await stripe.customers.listPaymentMethods(customer.id, { type: "card" })
    expect(listed).toMatchObject({ object: "list", has_more: false, url: `/v1/customers/${customer.id}/payment_methods` })
    expect(listed.data).toHaveLength(1)
    expect(listed.data[0]?.card?.last4).toBe("4242")

    const detached = await stripe.paymentMethods.detach(String(listed.data[0]?.id))
    expect(detached.customer).toBeNull()

    const updated = await stripe.customers.update(customer.id, { name: "Ada" })
    expect(updated.name).toBe("Ada")
    expect(await stripe.customers.del(customer.id)).toEqual(expect.objectContaining({ id: customer.id, deleted: true }))
    expect(await stripe.customers.retrieve(customer.id)).toEqual(expect.objectContaining({ deleted: true }))
  })
})

describe("FakeStripe authentication", () => {
  it("answers 401 in Stripe's error format without an API key", async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${fake.url}/v1/payment_intents/pi_1`, (res) => {
        const chunks: Buffer[] = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }))
      })
      req.on("error", reject)
      req.end()
    })
    expect(answer.status).toBe(401)
    expect(JSON.parse(answer.body)).toEqual({
      error: { type: "invalid_request_error", message: expect.stringMatching(/^You did not provide an API key/) },
    })
  })

  it("refuses a wrong key through the SDK, masking it", async () => {
    const strict = new FakeStripe({ apiKeys: ["sk_test_right"] })
    await strict.start()
    try {
      const client = new Stripe("sk_test_wrong_key_1234", strict.clientConfig())
      const error = await rejection(client.customers.create({}))
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError)
      expect(error.message).not.toContain("wrong_key")
      expect(error.message).toMatch(/1234$/)
    } finally {
      await strict.stop()
    }
  })
})

describe("FakeStripe webhooks", () => {
  let receiver: Server
  const received: Array<{ body: Buffer; headers: IncomingHttpHeaders }> = []
  let endpoint = ""

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers })
        res.writeHead(200, { "Content-Type": "application/json" }).end('{"received":true}')
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    const address = receiver.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    endpoint = `http://127.0.0.1:${port}/hooks/payment/stripe_stripe`
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  })

  it("delivers a signed event that verifies, and re-delivers the same bytes with a fresh signature", async () => {
    const created = await manualIntent({ session_id: "payses_hook" })
    fake.authorize(created.id)
    const event = fake.eventFor(created.id, "payment_intent.amount_capturable_updated")
    expect(event).toMatchObject({
      object: "event",
      type: "payment_intent.amount_capturable_updated",
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: { id: created.id, status: "requires_capture", metadata: { session_id: "payses_hook" } } },
    })

    const delivery = await fake.deliver(endpoint, event)
    expect(delivery).toMatchObject({ status: 200, body: '{"received":true}', eventId: event.id })
    const got = received[received.length - 1]
    expect(got?.headers["content-type"]).toBe("application/json; charset=utf-8")
    expect(got?.headers["user-agent"]).toBe("Stripe/1.0 (+https://stripe.com/docs/webhooks)")
    const header = got?.headers["stripe-signature"]
    const verified = verifyStripeSignature({
      rawBody: got?.body ?? Buffer.alloc(0),
      header: typeof header === "string" ? header : undefined,
      secrets: [SECRET],
      toleranceSeconds: 300,
    })
    expect(verified.event.id).toBe(event.id)

    const again = await fake.redeliver(delivery, { timestamp: Math.floor(Date.now() / 1000) + 1 })
    expect(again.payload).toBe(delivery.payload)
    expect(again.signature).not.toBe(delivery.signature)
    expect(received[received.length - 1]?.body.toString("utf8")).toBe(delivery.payload)
  })

  it("records the events Stripe would send, and builds charge.refunded without the refunds list", async () => {
    const created = await stripe.paymentIntents.create({ amount: 1200, currency: "usd", metadata: { session_id: "s" } })
    fake.succeed(created.id)
    const refund = await stripe.refunds.create({ payment_intent: created.id, amount: 200 })
    const types = fake.events.filter((event) => JSON.stringify(event).includes(created.id)).map((event) => event.type)
    expect(types).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "charge.refunded", "refund.created"])
    const refundEvent = fake.events.find((event) => event.type === "refund.created" && idOf(event.data.object) === refund.id)
    expect(refundEvent?.request).toEqual({
      id: expect.stringMatching(/^req_/),
      idempotency_key: expect.stringMatching(/^stripe-node-retry-/),
    })

    const chargeRefunded = fake.eventFor(created.id, "charge.refunded")
    expect(chargeRefunded.data.object).toMatchObject({ object: "charge", amount_refunded: 200 })
    expect(chargeRefunded.data.object).not.toHaveProperty("refunds")
    const withList = fake.eventFor(created.id, "charge.refunded", { includeRefunds: true })
    expect(withList.data.object).toMatchObject({ refunds: { object: "list", data: [expect.objectContaining({ id: refund.id })] } })

    const dispute = fake.eventFor(created.id, "charge.dispute.created")
    expect(dispute.data.object).toMatchObject({ object: "dispute", payment_intent: created.id, status: "needs_response" })
    const retrieved = await stripe.events.retrieve(dispute.id)
    expect(retrieved.id).toBe(dispute.id)
  })
})
