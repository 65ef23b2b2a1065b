import { createServer, type IncomingHttpHeaders, type Server } from "node:http"
import Stripe from "stripe"
import { verifyStandardWebhook } from "../providers/base/standard-webhooks"
import { verifyStripeSignature } from "../providers/stripe/signature"
import { FakeStripe } from "../testing/stripe"
import { FakeYoco } from "../testing/yoco"
import { COMMANDS } from "./commands"
import type { CliContext } from "./context"
import { main } from "./main"

/** Runs the tool in-process; returns its exit code and what it printed. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  const context: CliContext = { env, out: (text) => out.push(text), err: (text) => err.push(text) }
  const code = await main(args, context)
  return { code, stdout: out.join("\n"), stderr: err.join("\n") }
}

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string }

/** A loopback endpoint that records each request and answers with `reply`. */
async function endpoint(reply: (request: Received) => { status: number; body: string }) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }
      received.push(request)
      const answer = reply(request)
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()) }
}

describe("medusa-payment-webhooks", () => {
  it("answers --help for the program, each group and each command with exit 0", async () => {
    for (const args of [
      ["--help"],
      ["-h"],
      ["yoco", "--help"],
      ["yoco", "webhooks", "--help"],
      ...COMMANDS.map((command) => [...command.path, "--help"]),
    ]) {
      const result = await cli(args)
      expect({ args, code: result.code }).toEqual({ args, code: 0 })
      expect(result.stdout).toMatch(/^Usage: medusa-payment-webhooks/)
    }
  })

  it("exits 2 with a one-line reason on a wrong command line", async () => {
    const cases = [
      [[], "needs a command"],
      [["frobnicate"], "unknown command 'frobnicate'"],
      [["yoco", "hooks"], "unknown command 'hooks' for medusa-payment-webhooks yoco"],
      [["trigger", "stripe"], "missing <event>"],
      [["trigger", "paypal", "x", "--session", "s", "--url", "http://x", "--secret", "whsec_x"], "unknown PSP 'paypal'"],
      [["trigger", "stripe", "payment_intent.succeeded", "--url", "http://x"], "--session is required"],
      [
        ["trigger", "stripe", "payment_intent.succeeded", "--session", "s", "--url", "nope", "--secret", "k"],
        "--url must be an http(s) URL",
      ],
      [
        ["trigger", "stripe", "payment_intent.succeeded", "--session", "s", "--url", "http://x"],
        "--secret is required (or set STRIPE_WEBHOOK_SECRET)",
      ],
      [
        ["trigger", "stripe", "payment_intent.succeeded", "--session", "s", "--url", "http://x", "--secret", "k", "--amount", "1,5"],
        "--amount must be",
      ],
      [["trigger", "stripe", "payment_intent.succeeded", "--bogus"], "Unknown option '--bogus'"],
      [
        ["trigger", "stripe", "payment_intent.created", "--session", "s", "--url", "http://x", "--secret", "k"],
        "--amount is required (the session's amount), unless --intent and STRIPE_API_KEY",
      ],
      [
        ["trigger", "stripe", "charge.refunded", "--session", "s", "--url", "http://x", "--secret", "k"],
        "--intent is required for charge.refunded",
      ],
      [["trigger", "yoco", "payment.succeeded", "--session", "s", "--url", "http://x", "--secret", "whsec_AAAA"], "--checkout is required"],
      [
        ["trigger", "yoco", "payment.succeeded", "--session", "s", "--url", "http://x", "--secret", "whsec_AAAA", "--checkout", "ch_1"],
        "--amount is required for Yoco",
      ],
      [["status"], "--token is required (or set MEDUSA_ADMIN_TOKEN)"],
      [["status", "--token", "sk_x", "--limit", "500"], "--limit must be a whole number from 1 to 100"],
      [["replay", "--token", "sk_x"], "missing <id>"],
      [["yoco", "webhooks", "list"], "YOCO_SECRET_KEY is not set"],
      [["yoco", "webhooks", "register"], "--url is required"],
    ] as const
    for (const [args, reason] of cases) {
      const result = await cli([...args])
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr).toContain(reason)
      expect(result.stdout).toBe("")
    }
  })

  it("sends a Stripe event with Stripe's headers and a signature the provider's verification accepts", async () => {
    const store = await endpoint(() => ({ status: 200, body: `{"received":true}` }))
    try {
      const result = await cli(
        [
          "trigger",
          "stripe",
          "payment_intent.succeeded",
          "--session",
          "payses_1",
          "--url",
          `${store.url}/hooks/payment/stripe_stripe`,
          "--amount",
          "19.99",
          "--currency",
          "eur",
          "--intent",
          "pi_unit",
        ],
        { STRIPE_WEBHOOK_SECRET: "whsec_unit,whsec_old" },
      )
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^Sent stripe payment_intent\.succeeded evt_\w+ for session payses_1 to http/)
      expect(result.stdout).toContain('HTTP 200\n{"received":true}')
      const [request] = store.received
      expect(request).toMatchObject({ method: "POST", url: "/hooks/payment/stripe_stripe" })
      expect(request.headers).toMatchObject({
        "content-type": "application/json; charset=utf-8",
        "user-agent": expect.stringMatching(/^Stripe\//),
      })
      expect(request.body).toContain('\n  "object": "event",')
      const { event } = verifyStripeSignature({
        rawBody: Buffer.from(request.body),
        header: String(request.headers["stripe-signature"]),
        secrets: ["whsec_unit"],
        toleranceSeconds: 300,
      })
      expect(event.data.object).toMatchObject({
        id: "pi_unit",
        amount_received: 1999,
        currency: "eur",
        metadata: { session_id: "payses_1" },
      })
    } finally {
      await store.close()
    }
  })

  it("reads the amount from the PaymentIntent at Stripe when --amount is omitted", async () => {
    const stripe = new FakeStripe()
    await stripe.start()
    const store = await endpoint(() => ({ status: 200, body: "" }))
    try {
      const sdk = new Stripe("sk_test_unit", stripe.clientConfig())
      const intent = await sdk.paymentIntents.create({
        amount: 4200,
        currency: "eur",
        capture_method: "manual",
        metadata: { session_id: "payses_s" },
      })
      const result = await cli(
        [
          "trigger",
          "stripe",
          "payment_intent.amount_capturable_updated",
          "--session",
          "payses_s",
          "--intent",
          intent.id,
          "--url",
          store.url,
        ],
        { STRIPE_API_KEY: "sk_test_unit", STRIPE_API_BASE_URL: stripe.url, STRIPE_WEBHOOK_SECRET: "whsec_unit" },
      )
      expect(result.stderr).toBe("")
      expect(result.code).toBe(0)
      expect(JSON.parse(store.received[0].body).data.object).toMatchObject({
        id: intent.id,
        amount: 4200,
        amount_capturable: 4200,
        currency: "eur",
      })
    } finally {
      await store.close()
      await stripe.stop()
    }
  })

  it("exits 1 and prints the store's answer when it refuses the event", async () => {
    const store = await endpoint(() => ({ status: 400, body: "Webhook rejected: no signature matches" }))
    try {
      const result = await cli([
        "trigger",
        "stripe",
        "payment_intent.created",
        "--session",
        "s",
        "--url",
        store.url,
        "--secret",
        "whsec_wrong",
        "--amount",
        "5",
      ])
      expect(result.code).toBe(1)
      expect(result.stdout).toContain("HTTP 400\nWebhook rejected: no signature matches")
    } finally {
      await store.close()
    }
    const gone = await endpoint(() => ({ status: 200, body: "" }))
    await gone.close()
    const down = await cli([
      "trigger",
      "stripe",
      "payment_intent.created",
      "--session",
      "s",
      "--url",
      gone.url,
      "--secret",
      "whsec_x",
      "--amount",
      "5",
    ])
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/^error: could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/)
  })

  it("sends a Yoco event with Standard Webhooks headers, reading the checkout's amount from Yoco when --amount is omitted", async () => {
    const yoco = await new FakeYoco().start()
    const store = await endpoint(() => ({ status: 200, body: "{}" }))
    try {
      const created = await fetch(`${yoco.url}/checkouts`, {
        method: "POST",
        headers: { authorization: `Bearer ${FakeYoco.TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ amount: 4550, currency: "ZAR", metadata: { session_id: "payses_y" } }),
      })
      const { id: checkoutId } = (await created.json()) as { id: string }
      const result = await cli(
        ["trigger", "yoco", "payment.succeeded", "--session", "payses_y", "--checkout", checkoutId, "--url", store.url],
        { YOCO_WEBHOOK_SECRET: yoco.webhookSecret, YOCO_SECRET_KEY: FakeYoco.TEST_KEY, YOCO_API_BASE_URL: yoco.url },
      )
      expect(result.code).toBe(0)
      const [request] = store.received
      const verified = verifyStandardWebhook({
        rawBody: request.body,
        headers: request.headers,
        secrets: [yoco.webhookSecret],
        toleranceSeconds: 180,
      })
      expect(verified.id).toMatch(/^msg_/)
      expect(verified.payload).toMatchObject({
        type: "payment.succeeded",
        payload: { amount: 4550, currency: "ZAR", mode: "test", status: "succeeded", metadata: { checkoutId, session_id: "payses_y" } },
      })
    } finally {
      await store.close()
      await yoco.stop()
    }
  })

  it("refuses a Yoco secret that is not whsec_<base64> as a usage error", async () => {
    const result = await cli([
      "trigger",
      "yoco",
      "refund.failed",
      "--session",
      "s",
      "--checkout",
      "ch_1",
      "--amount",
      "5",
      "--url",
      "http://127.0.0.1:9",
      "--secret",
      "whsec_!!",
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("--secret: Webhook secret #1 is not a valid")
  })

  it("shows the inbox as a table, sending the secret key as HTTP Basic", async () => {
    const rows = [
      {
        id: "pwhevt_2",
        provider_id: "yoco_yoco",
        event_id: "msg_2",
        event_type: "payment.succeeded",
        session_id: "payses_2",
        status: "failed",
        attempts: 8,
        last_error: "cart was not completed\ninto an order",
        received_at: "2026-11-23T12:16:00.123Z",
      },
      {
        id: "pwhevt_1",
        provider_id: "stripe_stripe",
        event_id: "evt_1",
        event_type: null,
        session_id: null,
        status: "ignored",
        attempts: 0,
        last_error: null,
        received_at: "2026-11-23T12:15:56.000Z",
      },
    ]
    const store = await endpoint((request) =>
      request.headers.authorization === `Basic ${Buffer.from("sk_admin:").toString("base64")}`
        ? { status: 200, body: JSON.stringify({ payment_webhooks: rows, count: 3, limit: 2, offset: 0 }) }
        : { status: 401, body: JSON.stringify({ message: "Unauthorized" }) },
    )
    try {
      const result = await cli(["status", "--url", store.url, "--provider", "yoco", "--limit", "2"], { MEDUSA_ADMIN_TOKEN: "sk_admin" })
      expect(result.code).toBe(0)
      expect(store.received[0].url).toBe("/admin/payment-webhooks?provider=yoco&limit=2")
      const lines = result.stdout.split("\n")
      expect(lines[0]).toMatch(/^TIME\s+PROVIDER\s+EVENT\s+SESSION\s+STATUS\s+ATTEMPTS\s+ERROR$/)
      expect(lines[1]).toMatch(
        /^2026-11-23T12:16:00Z\s+yoco_yoco\s+payment\.succeeded\s+payses_2\s+failed\s+8\s+cart was not completed into an order$/,
      )
      expect(lines[2]).toMatch(/^2026-11-23T12:15:56Z\s+stripe_stripe\s+evt_1\s+-\s+ignored\s+0\s+-$/)
      expect(result.stdout).toContain("1-2 of 3, newest first (next page: --offset 2)")
      expect(result.stdout).not.toContain("sk_admin")

      const refused = await cli(["status", "--url", store.url, "--token", "sk_wrong"])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toBe("error: GET /admin/payment-webhooks answered 401: Unauthorized")
    } finally {
      await store.close()
    }
  })

  it("registers, lists and deletes Yoco webhooks, printing the secret once as the .env line", async () => {
    const yoco = await new FakeYoco().start()
    const env = { YOCO_SECRET_KEY: FakeYoco.TEST_KEY, YOCO_API_BASE_URL: yoco.url }
    try {
      const registered = await cli(["yoco", "webhooks", "register", "--url", "https://shop.example/hooks/payment/yoco_yoco"], env)
      expect(registered.code).toBe(0)
      const [webhook] = yoco.state.webhooks.values()
      expect(webhook).toMatchObject({ name: "medusa", url: "https://shop.example/hooks/payment/yoco_yoco", mode: "test" })
      expect(registered.stdout).toContain(`\nYOCO_WEBHOOK_SECRET=${webhook.secret}`)
      expect(registered.stdout.split(webhook.secret)).toHaveLength(2)

      const listed = await cli(["yoco", "webhooks", "list"], env)
      expect(listed.stdout).toMatch(
        new RegExp(`^ID\\s+NAME\\s+MODE\\s+URL\\n${webhook.id}\\s+medusa\\s+test\\s+https://shop\\.example/hooks/payment/yoco_yoco$`),
      )
      expect(listed.stdout).not.toContain("whsec_")

      expect((await cli(["yoco", "webhooks", "delete", webhook.id], env)).code).toBe(0)
      expect(yoco.state.webhooks.size).toBe(0)
      const again = await cli(["yoco", "webhooks", "delete", webhook.id], env)
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/^error: Yoco deleteWebhook failed: HTTP 404/)
      expect((await cli(["yoco", "webhooks", "list"], env)).stdout).toBe("No Yoco webhooks registered.")
    } finally {
      await yoco.stop()
    }
  })
})
