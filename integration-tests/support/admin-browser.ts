import { accessSync, constants } from "node:fs"
import { join } from "node:path"
import { chromium, type Browser, type Page } from "playwright-core"
import { runCommand } from "./run-command"
import type { StoreProcess } from "./store-process"

/** Debian's Chromium (`apt-get install -y chromium`); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium"

/** Flags for a headless Chromium in a container: no sandbox, no GPU, nothing fetched from the internet. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** Launches Debian's Chromium; fails with what to install when it is missing (never skips). */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK)
  } catch {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/** Creates an admin user of the store (`medusa user`), as a store owner does once. */
export async function createAdminUser(store: StoreProcess, email: string, password: string): Promise<void> {
  const run = await runCommand(join(store.cwd, "node_modules", ".bin", "medusa"), ["user", "-e", email, "-p", password], {
    cwd: store.cwd,
    env: store.env(),
  })
  if (run.code !== 0) {
    throw new Error(`medusa user exited ${run.code}:\n${(run.stdout + run.stderr).slice(-2000)}`)
  }
}

/**
 * Logs in through the admin's own login form and waits for the dashboard. The first page of a
 * fresh checkout waits for Vite to pre-bundle the dashboard, hence the long timeout.
 */
export async function logIn(page: Page, adminUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${adminUrl}/login`, { timeout: 300_000 })
  const emailInput = page.locator("input[name=email]")
  await emailInput.waitFor({ timeout: 300_000 })
  await emailInput.fill(email)
  await page.locator("input[name=password]").fill(password)
  await page.locator("form button[type=submit]").click()
  await page.waitForURL(/\/app\/orders/, { timeout: 120_000 })
}
