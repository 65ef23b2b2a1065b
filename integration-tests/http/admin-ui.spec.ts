import { mkdtempSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client } from "pg"
import type { Browser, Locator, Page } from "playwright-core"
import { FakeStripe } from "../../src/testing/stripe"
import { createAdminUser, launchChromium, logIn } from "../support/admin-browser"
import { deliveryOfSession, payStripeCartIntoOrder, payStripeCartWithFailedDelivery, type ScenarioStore } from "../support/admin-scenario"
import { StoreClient } from "../support/store-client"
import { StoreProcess } from "../support/store-process"
import { until } from "../support/until"

jest.setTimeout(600_000)

const WEBHOOK_SECRET = "whsec_admin_ui_secret"
const ADMIN_EMAIL = "owner@example.com"
const ADMIN_PASSWORD = "admin-ui-password"
// The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree as it was.
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === "1" ? join(__dirname, "..", "..", "docs") : mkdtempSync(join(tmpdir(), "mpw-admin-shots-"))

/**
 * The admin extensions in a real browser: a real store process with the admin enabled (the
 * dashboard with this plugin's page and widget), Debian's Chromium driven by playwright-core, a
 * person logging in through the login form. Takes the README's screenshots on the way.
 */
describe("the admin's payment webhooks page and order widget", () => {
  const stripe = new FakeStripe()
  let browser: Browser
  let page: Page
  let store: StoreProcess
  let scenario: ScenarioStore
  let db: Client

  beforeAll(async () => {
    // First, so a machine without Chromium fails at once with what to install.
    browser = await launchChromium()
    await stripe.start()
    store = await StoreProcess.create("mpw_admin_ui", {
      MEDUSA_ADMIN: "on",
      STRIPE_API_KEY: "sk_test_admin_ui",
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE_URL: stripe.url,
      // A delivery whose one attempt fails is `failed` at once, ready to be replayed from the admin.
      PAYMENT_WEBHOOKS_MAX_ATTEMPTS: "1",
    })
    await store.migrate()
    const seeded = await store.seed()
    await createAdminUser(store, ADMIN_EMAIL, ADMIN_PASSWORD)
    await store.start(180_000)
    const client = new StoreClient(store.url, seeded.publishableKey, seeded.adminSecret)
    scenario = { client, seeded, stripe, storeUrl: store.url, webhookSecret: WEBHOOK_SECRET }
    db = new Client({ connectionString: store.databaseUrl })
    await db.connect()

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: "UTC", locale: "en-US" })
    page = await context.newPage()
    await logIn(page, `${store.url}/app`, ADMIN_EMAIL, ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await browser?.close()
    await db?.end()
    await store?.destroy()
    await stripe.stop()
  })

  /** Opens the page through its sidebar entry (the route's `defineRouteConfig`). */
  async function openPageFromSidebar(): Promise<void> {
    await page.goto(`${store.url}/app/orders`)
    await page.getByRole("link", { name: "Payment webhooks" }).first().click()
    await page.getByTestId("payment-webhooks-page").waitFor()
  }

  /** The page's row of a payment session's delivery. */
  const rowOf = (sessionId: string) => page.locator(`[data-testid=payment-webhook-row][data-session-id="${sessionId}"]`)

  let paid: Awaited<ReturnType<typeof payStripeCartIntoOrder>>
  let failed: Awaited<ReturnType<typeof payStripeCartWithFailedDelivery>>

  it("lists a paid cart's delivery and a failed one on the page, the failed one needing attention", async () => {
    paid = await payStripeCartIntoOrder(scenario, `paid-${Date.now()}@example.com`)
    expect(paid.deliveryStatus).toBe(200)
    failed = await payStripeCartWithFailedDelivery(scenario, `failed-${Date.now()}@example.com`)
    expect(failed.delivery).toMatchObject({ status: "failed", attempts: 1 })
    expect(await scenario.client.orderByEmail(failed.email)).toBeUndefined()

    await openPageFromSidebar()
    await waitForStatus(rowOf(paid.session.id).getByTestId("webhook-status"), "processed")
    await waitForStatus(rowOf(failed.session.id).getByTestId("webhook-status"), "failed")
    await page.waitForFunction(() => document.querySelector("[data-testid=summary-needs-attention]")?.getAttribute("data-value") !== "…")
    expect(Number(await page.getByTestId("summary-failed").getAttribute("data-value"))).toBe(await countRows("status = 'failed'"))
    const attention = Number(await page.getByTestId("summary-needs-attention").getAttribute("data-value"))
    expect(attention).toBe(await countRows("needs_attention"))
    expect(attention).toBeGreaterThanOrEqual(1)
    // Newest first, and the failed delivery of a paid cart stands out.
    expect(await page.getByTestId("payment-webhook-row").first().getAttribute("data-session-id")).toBe(failed.session.id)
    expect(await rowOf(failed.session.id).getAttribute("data-needs-attention")).toBe("true")
    expect(await rowOf(paid.session.id).getAttribute("data-needs-attention")).toBe("false")

    // The status filter (a Radix select) leaves only the failed one.
    await page.getByTestId("payment-webhooks-status-filter").click()
    await page.getByRole("option", { name: "failed" }).click()
    await until(
      () => page.getByTestId("payment-webhook-row").count(),
      (n) => n === 1,
      "the status filter to leave one row",
    )
    expect(await page.getByTestId("payment-webhook-row").getAttribute("data-session-id")).toBe(failed.session.id)
    expect(page.url()).toContain("status=failed")
    await page.getByRole("button", { name: "Clear filters" }).click()
    await rowOf(paid.session.id).waitFor()

    // The search finds a delivery by its PaymentIntent.
    await page.getByTestId("payment-webhooks-search").fill(paid.intentId)
    await page.getByTestId("payment-webhooks-search").press("Enter")
    await until(
      () => page.getByTestId("payment-webhook-row").count(),
      (n) => n === 1,
      "the search to leave one row",
    )
    expect(await page.getByTestId("payment-webhook-row").getAttribute("data-session-id")).toBe(paid.session.id)
    await page.getByRole("button", { name: "Clear filters" }).click()
    await rowOf(failed.session.id).waitFor()
    await screenshot(page, "admin-page.png")
  })

  it("shows the order's payment events and the PSP's view next to Medusa's in the order widget", async () => {
    // Captured from the admin (manual capture): Stripe and Medusa both hold the full amount as captured.
    const payment = paid.order.payment_collections[0].payments[0]
    await scenario.client.admin("POST", `/admin/payments/${payment.id}/capture`, {})
    expect(stripe.captureCount(paid.intentId)).toBe(1)

    await page.goto(`${store.url}/app/orders/${paid.order.id}`)
    const widget = page.getByTestId("order-payment-webhooks-widget")
    await widget.waitFor({ timeout: 60_000 })
    const event = widget.locator(`[data-testid=order-payment-webhook]`)
    await until(
      () => event.count(),
      (n) => n === 1,
      "the widget to list the order's one event",
    )
    await waitForStatus(event.first().getByTestId("webhook-status"), "processed")
    const comparison = widget.getByTestId("order-payment-comparison").first()
    await comparison.waitFor()
    expect(await comparison.getAttribute("data-payment-id")).toBe(payment.id)
    expect(await comparison.getAttribute("data-psp-status")).toBe("succeeded")
    expect(await comparison.getAttribute("data-differs")).toBe("false")
    expect(await comparison.getByTestId("payment-captured").allTextContents()).toEqual(["$25.00", "$25.00"])
    await widget.scrollIntoViewIfNeeded()
    await screenshot(page, "order-widget.png")

    await widget.getByTestId("order-payment-webhooks-link").click()
    await page.getByTestId("payment-webhooks-order-filter").waitFor()
    await until(
      () => page.getByTestId("payment-webhook-row").count(),
      (n) => n === 1,
      "the page filtered on the order",
    )
    expect(await page.getByTestId("payment-webhook-row").getAttribute("data-session-id")).toBe(paid.session.id)
  })

  it("replays the failed delivery from its drawer: it turns processed and its cart becomes an order", async () => {
    await openPageFromSidebar()
    // From the keyboard, as a person without a mouse opens it: the row takes the focus, Enter opens it.
    await rowOf(failed.session.id).focus()
    await page.keyboard.press("Enter")
    const drawer = page.getByTestId("payment-webhook-drawer")
    await drawer.waitFor()
    expect(await drawer.getByTestId("payment-webhook-drawer-status").getAttribute("data-status")).toBe("failed")
    await drawer.getByTestId("payment-webhook-last-error").waitFor()
    await until(
      () => drawer.getByTestId("timeline-entry").count(),
      (n) => n >= 2,
      "the drawer's timeline",
    )
    // The drawer slides in: the picture is taken once its animations are over.
    await drawer.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)))
    await screenshot(page, "admin-drawer.png")

    await drawer.getByTestId("payment-webhook-replay").click()
    await until(
      () => drawer.getByTestId("payment-webhook-drawer-status").getAttribute("data-status"),
      (status) => status === "processed",
      "the drawer to show the replayed delivery processed",
    )
    expect(await deliveryOfSession(scenario.client, failed.session.id)).toMatchObject({ status: "processed" })
    const order = await scenario.client.waitForOrder(failed.email, { timeoutMs: 30_000 })
    expect(order.email).toBe(failed.email)
    await page.keyboard.press("Escape")
  })

  it("shows the bulk replay's dry-run count of failed deliveries since a time, then replays them", async () => {
    const since = new Date(Date.now() - 60 * 60_000)
    const more = [
      await payStripeCartWithFailedDelivery(scenario, `bulk-a-${Date.now()}@example.com`),
      await payStripeCartWithFailedDelivery(scenario, `bulk-b-${Date.now()}@example.com`),
    ]
    const expected = await countRows("status = 'failed' AND received_at >= $1", [since])
    expect(expected).toBeGreaterThanOrEqual(2)

    await openPageFromSidebar()
    await page.getByTestId("bulk-replay-open").click()
    const dialog = page.getByTestId("bulk-replay-dialog")
    // `datetime-local` in the browser's time zone (UTC in this context).
    await dialog.getByTestId("bulk-replay-since").fill(since.toISOString().slice(0, 16))
    await dialog.getByTestId("bulk-replay-count-button").click()
    const count = dialog.getByTestId("bulk-replay-count")
    await count.waitFor()
    expect(Number(await count.getAttribute("data-count"))).toBe(expected)

    await dialog.getByTestId("bulk-replay-confirm").click()
    // The replay runs in the background: the drawer follows its progress until it ends.
    const progress = dialog.getByTestId("bulk-replay-progress")
    await progress.waitFor()
    expect(Number(await progress.getAttribute("data-total"))).toBe(expected)
    const result = dialog.getByTestId("bulk-replay-result")
    await result.waitFor({ timeout: 120_000 })
    expect(await result.getAttribute("data-status")).toBe("done")
    expect(await result.textContent()).toContain(`processed ${expected}`)
    expect(Number(await progress.getAttribute("data-taken"))).toBe(expected)
    for (const cart of more) {
      expect(await deliveryOfSession(scenario.client, cart.session.id)).toMatchObject({ status: "processed" })
      await scenario.client.waitForOrder(cart.email, { timeoutMs: 30_000 })
    }
    expect(await countRows("status = 'failed' AND received_at >= $1", [since])).toBe(0)
  })

  /** Rows of the inbox matching a condition, counted in the database itself. */
  async function countRows(where: string, params: unknown[] = []): Promise<number> {
    const result = await db.query(`SELECT count(*)::int AS n FROM payment_webhook_event WHERE ${where}`, params)
    return result.rows[0].n
  }
})

/** Waits until a status badge shows `status`; fails naming the status it shows instead. */
async function waitForStatus(badge: Locator, status: string): Promise<void> {
  await until(
    () => badge.getAttribute("data-status", { timeout: 60_000 }),
    (shown) => shown === status,
    `the status badge to show ${status}`,
    60_000,
  )
}

/** Takes a screenshot (under docs/ for the README with UPDATE_SCREENSHOTS=1), and checks it stays small enough to commit. */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, name)
  await page.screenshot({ path })
  expect(statSync(path).size).toBeLessThan(300 * 1024)
}
