import type { IAuthModuleService, IOrderModuleService, IRbacModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createRbacRolesWorkflow, createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { createAdminSecret } from "../support/admin-key"
import { adminRequest, basicAuth } from "../support/admin-request"
import { recordSettled } from "../support/inbox-rows"
import { usePspFakes } from "../support/psp-fakes"

jest.setTimeout(240_000)

// Medusa's RBAC is behind its `rbac` feature flag, read from the environment when the app boots (and by
// medusa-config.ts, which then registers the RBAC module): on for this file only, before the runner boots.
process.env.MEDUSA_FF_RBAC = "true"

usePspFakes("whsec_rbac_secret")

/** The Super Admin role (`*:*`) that Medusa's RBAC module creates at start, and `medusa user` gives the first admin. */
const SUPER_ADMIN_ROLE = "role_super_admin"

/** Each admin of the test: the `resource:operation` policies of their one role, none for `nobody`. */
const ADMINS = {
  reader: ["payment:read"],
  operator: ["payment:read", "payment:update", "order:read"],
  orderViewer: ["order:read"],
  nobody: [],
} satisfies Record<string, string[]>
type AdminName = keyof typeof ADMINS | "superAdmin"

const PASSWORD = "rbac-test-password"

medusaIntegrationTestRunner({
  testSuite: ({ getContainer, api }) => {
    const container = (): MedusaContainer => getContainer()
    const inbox = () => container().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
    /** Each admin's `authorization` header: a bearer token from Medusa's own login. */
    const tokens = new Map<AdminName | "secretKey", string>()
    let deliveryId: string
    let orderId: string

    /** A role holding Medusa's synced policies of those keys (e.g. `payment:read`). */
    async function createRole(name: string, keys: string[]): Promise<string> {
      const rbac = container().resolve<IRbacModuleService>(Modules.RBAC)
      const policies = keys.length ? await rbac.listRbacPolicies({ key: keys }) : []
      expect(policies.map((policy) => policy.key).sort()).toEqual([...keys].sort())
      const {
        result: [role],
      } = await createRbacRolesWorkflow(container()).run({
        input: { roles: [{ name, policy_ids: policies.map((policy) => policy.id) }] },
      })
      return role.id
    }

    /** An admin user with an email and password login (as an invite accepted would make), holding those roles. */
    async function createAdmin(name: string, roles: string[]): Promise<string> {
      const email = `${name.toLowerCase()}@rbac.test`
      const auth = container().resolve<IAuthModuleService>(Modules.AUTH)
      const { success, authIdentity, error } = await auth.register("emailpass", { body: { email, password: PASSWORD } })
      if (!success || !authIdentity) {
        throw new Error(`could not register ${email}: ${error}`)
      }
      await createUserAccountWorkflow(container()).run({ input: { authIdentityId: authIdentity.id, userData: { email, roles } } })
      // Medusa writes the user's roles into the token at login: the token is taken after the roles are given.
      const login = await fetch(`${api.defaults.baseURL}/auth/user/emailpass`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      })
      expect(login.status).toBe(200)
      const { token } = (await login.json()) as { token: string }
      return `Bearer ${token}`
    }

    // The runner restores the database to its state after this hook before every test.
    beforeAll(async () => {
      for (const [name, keys] of Object.entries(ADMINS)) {
        const roles = keys.length ? [await createRole(`Payment webhooks ${name}`, keys)] : []
        tokens.set(name as AdminName, await createAdmin(name, roles))
      }
      tokens.set("superAdmin", await createAdmin("superAdmin", [SUPER_ADMIN_ROLE]))
      tokens.set("secretKey", basicAuth(await createAdminSecret(container())))

      deliveryId = await recordSettled(
        inbox(),
        {
          provider_id: "stripe_stripe",
          event_id: "evt_rbac_processed",
          event_type: "payment_intent.succeeded",
          source: "webhook",
          body_hash: "test",
          raw_body: "{}",
        },
        { status: "processed", reason: null },
      )
      const [order] = await container()
        .resolve<IOrderModuleService>(Modules.ORDER)
        .createOrders([{ currency_code: "eur", email: "buyer@rbac.test" }])
      orderId = order.id
    })

    const call = (who: AdminName | "secretKey", method: "GET" | "POST", path: string, body?: object) =>
      adminRequest(api.defaults.baseURL, tokens.get(who) ?? "", method, path, body)

    /** Every admin route of the plugin, with the policy it needs and the status it answers when let through. */
    const routes = (): Array<{ method: "GET" | "POST"; path: string; body?: object; needs: string; answers: number[] }> => [
      { method: "GET", path: "/admin/payment-webhooks", needs: "payment:read", answers: [200] },
      { method: "GET", path: "/admin/payment-webhooks/summary", needs: "payment:read", answers: [200] },
      // 503 until the redrive job has run once: the health check's normal answer in a fresh store.
      { method: "GET", path: "/admin/payment-webhooks/health", needs: "payment:read", answers: [200, 503] },
      { method: "GET", path: `/admin/payment-webhooks/${deliveryId}`, needs: "payment:read", answers: [200] },
      { method: "GET", path: `/admin/payment-webhooks/orders/${orderId}`, needs: "order:read", answers: [200] },
      { method: "POST", path: `/admin/payment-webhooks/${deliveryId}/replay`, needs: "payment:update", answers: [200] },
      {
        method: "POST",
        path: "/admin/payment-webhooks/replay",
        body: { since: "2026-01-01T00:00:00Z", dry_run: true },
        needs: "payment:update",
        answers: [200],
      },
      // A bulk replay run's status and its cancel: 404 for a run that never was, once let through.
      { method: "GET", path: "/admin/payment-webhooks/replay/pwhrun_unknown", needs: "payment:read", answers: [404] },
      { method: "POST", path: "/admin/payment-webhooks/replay/pwhrun_unknown/cancel", needs: "payment:update", answers: [404] },
    ]

    /** What each route answers the admin: "let through" for the route's normal answer, else the status (403…), by route. */
    async function answersTo(who: AdminName | "secretKey") {
      const answers: Array<[string, number | "let through"]> = []
      for (const route of routes()) {
        const { status } = await call(who, route.method, route.path, route.body)
        answers.push([`${route.method} ${route.path}`, route.answers.includes(status) ? "let through" : status])
      }
      return answers
    }

    /** What each route should answer an admin holding those policies: its normal answer, else 403. */
    const expectedFor = (policies: string[]) =>
      routes().map((route) => [`${route.method} ${route.path}`, policies.includes(route.needs) ? "let through" : 403])

    it("lets a role with payment read list and read deliveries, and refuses it replay and the order view: 403", async () => {
      expect(await answersTo("reader")).toEqual(expectedFor(ADMINS.reader))
      const refused = await call("reader", "POST", `/admin/payment-webhooks/${deliveryId}/replay`)
      expect(refused.body.message).toContain("payment:update")
      // Refused before the route ran: the delivery was not replayed.
      expect((await call("operator", "GET", `/admin/payment-webhooks/${deliveryId}`)).body.payment_webhook).toMatchObject({ attempts: 1 })
    })

    it("lets a role with payment update replay a delivery and the failed ones since a date", async () => {
      expect(await answersTo("operator")).toEqual(expectedFor(ADMINS.operator))
      const replayed = await call("operator", "POST", `/admin/payment-webhooks/${deliveryId}/replay`)
      expect(replayed.status).toBe(200)
      expect(replayed.body.payment_webhook).toMatchObject({ id: deliveryId })
    })

    it("lets a role with order read see an order's deliveries, and nothing else of the plugin", async () => {
      expect(await answersTo("orderViewer")).toEqual(expectedFor(ADMINS.orderViewer))
      const view = await call("orderViewer", "GET", `/admin/payment-webhooks/orders/${orderId}`)
      expect(view.body).toEqual({ order_id: orderId, payment_webhooks: [], payments: [] })
    })

    it("refuses an admin without a role everywhere (403), and lets the Super Admin role in everywhere", async () => {
      expect(await answersTo("nobody")).toEqual(expectedFor([]))
      expect(await answersTo("superAdmin")).toEqual(expectedFor(["payment:read", "payment:update", "order:read"]))
    })

    it("refuses a secret API key (403): its token carries no role, as on Medusa's own payment routes", async () => {
      expect(await answersTo("secretKey")).toEqual(expectedFor([]))
      expect((await call("secretKey", "GET", "/admin/payments")).status).toBe(403)
      expect((await call("superAdmin", "GET", "/admin/payments")).status).toBe(200)
    })
  },
})
