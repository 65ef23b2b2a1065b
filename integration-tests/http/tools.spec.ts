import { join } from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { FakeYoco } from "../../src/testing/yoco"
import { basicAuth } from "../support/admin-request"
import { Checkouts } from "../support/checkouts"
import { recordSettled } from "../support/inbox-rows"
import { until } from "../support/until"
import { runCommand, type CommandRun } from "../support/run-command"
import { usePspFakes } from "../support/psp-fakes"
import { seededClient } from "../support/seeded-client"
import type { StoreClient } from "../support/store-client"

jest.setTimeout(240_000)

const ROOT = join(__dirname, "..", "..")
const STRIPE_SECRET = "whsec_tools_secret"
const { stripe, yoco } = usePspFakes(STRIPE_SECRET)

/** Runs the command-line tool from source in a child process, as a developer would run the `bin`. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  return runCommand(process.execPath, ["-r", "ts-node/register/transpile-only", "src/cli/index.ts", ...args], { cwd: ROOT, env })
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    let client: StoreClient
    let adminToken: string
    let checkouts: Checkouts
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    beforeAll(async () => {
      const store = await seededClient(getContainer(), api.defaults.baseURL)
      ;({ client, adminSecret: adminToken } = store)
      checkouts = new Checkouts({ ...store, stripe, stripeSecret: STRIPE_SECRET, inbox }, "tools")
    })

    /** `GET /admin/payment-webhooks` with a query string; the status and parsed body. */
    const listWebhooks = (query: string, token = adminToken) =>
      client.adminAnswer("GET", `/admin/payment-webhooks?${query}`, undefined, basicAuth(token))

    /** A row in the inbox: recorded as the edge would have, and settled as the processor would have unless `received`. */
    type TestRow = {
      session_id: string
      provider_id?: string
      event_id?: string
      event_type?: string
      action?: string
      currency_code?: string
      raw_body?: string
      status?: "received" | "processed" | "ignored" | "failed"
      last_error?: string | null
    }
    async function record(row: TestRow): Promise<string> {
      const input = {
        provider_id: row.provider_id ?? "stripe_stripe",
        event_id: row.event_id ?? `evt_tools_${Math.random().toString(36).slice(2)}`,
        event_type: row.event_type ?? "payment_intent.amount_capturable_updated",
        source: "webhook" as const,
        body_hash: "tools",
        raw_body: row.raw_body ?? `{"id":"evt_tools","big":"${"x".repeat(2000)}"}`,
        session_id: row.session_id,
      }
      const status = row.status ?? "received"
      if (status === "received") {
        return (await inbox().recordDelivery(input)).id
      }
      return recordSettled(inbox(), input, {
        status,
        reason: row.last_error ?? null,
        facts: { session_id: row.session_id, action: row.action ?? "authorized", amount: 25, currency_code: row.currency_code ?? "usd" },
      })
    }

    it("answers --help with exit 0 for the program and every command, and exits 2 for an unknown command", async () => {
      const commands = [
        [],
        ["trigger"],
        ["status"],
        ["replay"],
        ["yoco"],
        ["yoco", "webhooks"],
        ["yoco", "webhooks", "register"],
        ["yoco", "webhooks", "list"],
        ["yoco", "webhooks", "delete"],
      ]
      const runs = await Promise.all(commands.map((words) => cli([...words, "--help"])))
      runs.forEach((run, index) => {
        expect({ command: commands[index], code: run.code }).toEqual({ command: commands[index], code: 0 })
        expect(run.stdout).toMatch(/^Usage: medusa-payment-webhooks/)
      })
      const unknown = await cli(["pay-everything"])
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain("error: unknown command 'pay-everything'")
    })

    it("trigger stripe: a wrong secret is answered 400 (exit 1); the right one turns the authorized session into an order", async () => {
      const { email, cart, session } = await checkouts.cart("pp_stripe_stripe")
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      const args = [
        "trigger",
        "stripe",
        "payment_intent.amount_capturable_updated",
        "--session",
        session.id,
        "--intent",
        intentId,
        "--url",
        `${client.baseUrl}/hooks/payment/stripe_stripe`,
      ]

      const forged = await cli([...args, "--amount", String(cart.total), "--currency", "usd", "--secret", "whsec_not_the_store_secret"])
      expect(forged.code).toBe(1)
      expect(forged.stdout).toContain("HTTP 400")
      expect(forged.stdout).toContain("No Stripe-Signature v1 signature matches")

      // No --amount: read from the PaymentIntent at Stripe (the fake), with the store's STRIPE_API_KEY.
      const sent = await cli([...args, "--secret", STRIPE_SECRET])
      expect(sent.code).toBe(0)
      expect(sent.stdout).toMatch(new RegExp(`^Sent stripe payment_intent\\.amount_capturable_updated evt_\\w+ for session ${session.id}`))
      expect(sent.stdout).toContain("HTTP 200")
      const order = await client.waitForOrder(email)
      expect(order.total).toBe(cart.total)
      // The order exists a moment before the processor settles the row with the session it learnt.
      const rows = await until(
        () => inbox().listPaymentWebhookEvents({ session_id: session.id }),
        (found) => found[0]?.status === "processed",
        "the row settled",
      )
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ event_type: "payment_intent.amount_capturable_updated", action: "authorized" })
    })

    it("trigger yoco: a payment.succeeded for a paid checkout (amount read from Yoco) becomes a captured order", async () => {
      const { email, cart, session } = await checkouts.cart("pp_yoco_yoco")
      const checkoutId = String(session.data.checkout_id)
      // The customer pays; the fake delivers nothing itself: the tool sends the event.
      await yoco.pay(checkoutId, { deliverTo: [] })
      const sent = await cli([
        "trigger",
        "yoco",
        "payment.succeeded",
        "--session",
        session.id,
        "--checkout",
        checkoutId,
        "--url",
        `${client.baseUrl}/hooks/payment/yoco_yoco`,
        "--secret",
        yoco.webhookSecret,
      ])
      expect(sent.stderr).toBe("")
      expect(sent.code).toBe(0)
      const order = await client.waitForOrder(email, { ready: (o) => !!o.payment_collections[0]?.payments[0]?.captured_at })
      expect(order.total).toBe(cart.total)
    })

    it("status prints the latest deliveries as a table with their statuses, attempts and errors", async () => {
      const sessionId = `payses_tools_status_${Date.now()}`
      await record({
        session_id: sessionId,
        event_type: "payment_intent.created",
        action: "pending",
        status: "ignored",
        last_error: "pending: nothing for Medusa to do yet",
      })
      await record({ session_id: sessionId, status: "failed", last_error: "Lock timeout while completing the cart" })
      await record({
        session_id: sessionId,
        provider_id: "yoco_yoco",
        event_type: "payment.succeeded",
        action: "captured",
        currency_code: "zar",
      })

      const run = await cli(["status", "--url", client.baseUrl, "--session", sessionId], { MEDUSA_ADMIN_TOKEN: adminToken })
      expect(run.stderr).toBe("")
      expect(run.code).toBe(0)
      const lines = run.stdout.trim().split("\n")
      expect(lines[0]).toMatch(/^TIME\s+PROVIDER\s+EVENT\s+SESSION\s+STATUS\s+ATTEMPTS\s+ERROR$/)
      const time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"
      expect(lines[1]).toMatch(new RegExp(`^${time}\\s+yoco_yoco\\s+payment\\.succeeded\\s+${sessionId}\\s+received\\s+0\\s+-$`))
      expect(lines[2]).toMatch(
        new RegExp(
          `^${time}\\s+stripe_stripe\\s+payment_intent\\.amount_capturable_updated\\s+${sessionId}\\s+failed\\s+1\\s+Lock timeout while completing the cart$`,
        ),
      )
      expect(lines[3]).toMatch(
        new RegExp(
          `^${time}\\s+stripe_stripe\\s+payment_intent\\.created\\s+${sessionId}\\s+ignored\\s+1\\s+pending: nothing for Medusa to do yet$`,
        ),
      )
      expect(lines[5]).toBe("1-3 of 3, newest first")

      const onlyFailed = await cli([
        "status",
        "--url",
        client.baseUrl,
        "--token",
        adminToken,
        "--session",
        sessionId,
        "--status",
        "failed",
        "--provider",
        "stripe",
      ])
      expect(onlyFailed.stdout.trim().split("\n")).toHaveLength(4)
      expect(onlyFailed.stdout).toContain("Lock timeout")

      const refused = await cli(["status", "--url", client.baseUrl, "--token", "sk_not_a_key"])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/^error: GET \/admin\/payment-webhooks answered 401/)
    })

    it("GET /admin/payment-webhooks filters by provider, status and session, pages newest first, and never returns raw bodies", async () => {
      const sessionId = `payses_tools_list_${Date.now()}`
      const other = `payses_tools_other_${Date.now()}`
      const ids: string[] = []
      for (const status of ["processed", "failed", "received", "failed"] as const) {
        ids.push(await record({ session_id: sessionId, status, last_error: status === "failed" ? "boom" : null }))
      }
      ids.push(await record({ session_id: sessionId, provider_id: "yoco_yoco", event_type: "payment.succeeded", action: "captured" }))
      await record({ session_id: other })
      const newestFirst = [...ids].reverse()

      const all = await listWebhooks(`session_id=${sessionId}`)
      expect(all.status).toBe(200)
      expect(all.body).toMatchObject({ count: 5, limit: 20, offset: 0 })
      expect(all.body.payment_webhooks.map((row: { id: string }) => row.id)).toEqual(newestFirst)
      for (const row of all.body.payment_webhooks) {
        expect(row).not.toHaveProperty("raw_body")
        expect(row).toMatchObject({ session_id: sessionId, received_at: expect.any(String) })
        expect(row.amount).toBe(row.status === "received" ? null : 25)
      }

      const failed = await listWebhooks(`session_id=${sessionId}&status=failed`)
      expect(failed.body.payment_webhooks.map((row: { id: string }) => row.id)).toEqual([ids[3], ids[1]])
      expect(failed.body.payment_webhooks[0]).toMatchObject({ status: "failed", last_error: "boom" })
      expect((await listWebhooks(`session_id=${sessionId}&provider=yoco_yoco`)).body.count).toBe(1)
      expect((await listWebhooks(`session_id=${sessionId}&provider=yoco`)).body.count).toBe(1)
      expect((await listWebhooks(`session_id=${sessionId}&provider=pp_stripe_stripe`)).body.count).toBe(4)
      expect((await listWebhooks(`session_id=${sessionId}&provider=stripe&status=received`)).body.count).toBe(1)

      const first = await listWebhooks(`session_id=${sessionId}&limit=2`)
      const second = await listWebhooks(`session_id=${sessionId}&limit=2&offset=2`)
      const third = await listWebhooks(`session_id=${sessionId}&limit=2&offset=4`)
      expect(first.body).toMatchObject({ count: 5, limit: 2, offset: 0 })
      const paged = [first, second, third].flatMap((page) => page.body.payment_webhooks.map((row: { id: string }) => row.id))
      expect(paged).toEqual(newestFirst)

      for (const bad of ["limit=0", "limit=101", "limit=ten", "offset=-1", "status=lost", "sesion_id=x", "provider=a%20b"]) {
        const answer = await listWebhooks(bad)
        expect({ bad, status: answer.status }).toEqual({ bad, status: 400 })
        expect(answer.body.message).toMatch(/^Invalid query: /)
      }
      expect((await listWebhooks("", "sk_not_a_key")).status).toBe(401)
    })

    it("replay re-drives a failed event: its cart becomes an order, and the order's deliveries are listed by order_id", async () => {
      const { email, session } = await checkouts.cart("pp_stripe_stripe")
      // Paid at Stripe, recorded, but its processing failed for good (e.g. the cart lock timed out 8 times).
      const intentId = String(session.data.id)
      stripe.authorize(intentId)
      const event = stripe.eventFor(intentId, "payment_intent.amount_capturable_updated")
      const id = await record({
        session_id: session.id,
        event_id: event.id,
        raw_body: stripe.payloadOf(event),
        status: "failed",
        last_error: "Lock timeout while completing the cart",
      })
      expect(await client.orderByEmail(email)).toBeUndefined()

      const replayed = await cli(["replay", id, "--url", client.baseUrl, "--token", adminToken])
      expect(replayed.stderr).toBe("")
      expect(replayed.code).toBe(0)
      expect(replayed.stdout).toContain(`${id} (stripe_stripe payment_intent.amount_capturable_updated) is processed after 1 attempt(s)`)
      const order = await client.waitForOrder(email, { timeoutMs: 5_000 })

      const byOrder = await listWebhooks(`order_id=${order.id}`)
      expect(byOrder.body.count).toBe(1)
      expect(byOrder.body.payment_webhooks[0]).toMatchObject({ id, status: "processed", attempts: 1, session_id: session.id })
      expect(byOrder.body.payment_webhooks[0]).not.toHaveProperty("raw_body")
      expect((await listWebhooks(`order_id=order_does_not_exist`)).body).toMatchObject({ payment_webhooks: [], count: 0 })

      // Again through the route: idempotent, the order is not placed twice.
      const again = await client.adminAnswer("POST", `/admin/payment-webhooks/${id}/replay`)
      expect(again.status).toBe(200)
      const { body } = again
      expect(body.payment_webhook).toMatchObject({ id, status: "processed" })
      expect(body.payment_webhook).not.toHaveProperty("raw_body")
      expect((await client.orderByEmail(email))?.id).toBe(order.id)

      const unknown = await client.adminAnswer("POST", "/admin/payment-webhooks/pwhevt_unknown/replay")
      expect(unknown.status).toBe(404)
      const missing = await cli(["replay", "pwhevt_unknown", "--url", client.baseUrl, "--token", adminToken])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain("answered 404: Payment webhook pwhevt_unknown was not found")
    })

    it("yoco webhooks register, list and delete an endpoint at Yoco (the fake), printing the secret once as the .env line", async () => {
      const env = { YOCO_SECRET_KEY: FakeYoco.TEST_KEY, YOCO_API_BASE_URL: yoco.url }
      const url = `${client.baseUrl}/hooks/payment/yoco_yoco`
      const registered = await cli(["yoco", "webhooks", "register", "--url", url, "--name", "tools"], env)
      expect(registered.stderr).toBe("")
      expect(registered.code).toBe(0)
      const secret = /^YOCO_WEBHOOK_SECRET=(whsec_[A-Za-z0-9+/]+=*)$/m.exec(registered.stdout)?.[1]
      expect(secret).toBeDefined()
      const webhook = [...yoco.state.webhooks.values()].find((candidate) => candidate.url === url)
      expect(webhook).toMatchObject({ name: "tools", mode: "test", secret })
      expect(registered.stdout.split(secret!)).toHaveLength(2)

      const listed = await cli(["yoco", "webhooks", "list"], env)
      expect(listed.code).toBe(0)
      expect(listed.stdout).toMatch(new RegExp(`^${webhook!.id}\\s+tools\\s+test\\s+${url}$`, "m"))
      expect(listed.stdout).not.toContain("whsec_")

      const deleted = await cli(["yoco", "webhooks", "delete", webhook!.id], env)
      expect(deleted.code).toBe(0)
      expect(deleted.stdout).toContain(`Deleted Yoco webhook ${webhook!.id}`)
      expect(yoco.state.webhooks.has(webhook!.id)).toBe(false)
      expect((await cli(["yoco", "webhooks", "delete", webhook!.id], env)).code).toBe(1)
    })
  },
})
