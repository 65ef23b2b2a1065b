import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** The repository root (the package under test). */
export const REPO_ROOT = join(__dirname, "..", "..")

/** Where the throwaway store project is written (gitignored). */
export const STORE_DIR = join(REPO_ROOT, "bench", ".store")

/** Files the built package must contain for a store to load the plugin's module, middleware and job. */
const BUILT_ENTRY_POINTS = [
  ".medusa/server/src/modules/payment-webhooks/index.js",
  ".medusa/server/src/api/middlewares.js",
  ".medusa/server/src/jobs/redrive-payment-webhooks.js",
  ".medusa/server/src/providers/stripe/index.js",
]

/** Throws unless the package at `root` holds every entry point a store loads (what `npm run build` makes). */
export function assertBuilt(root = REPO_ROOT): void {
  const missing = BUILT_ENTRY_POINTS.filter((file) => !existsSync(join(root, file)))
  if (missing.length) {
    throw new Error(`The plugin build is incomplete (missing ${missing.join(", ")}); run \`npm run build\``)
  }
}

/**
 * Writes `bench/.store`: a store project that installs this package the way a store does.
 * `node_modules/medusa-payment-webhooks` holds the files npm would install (`package.json` and
 * its `files`, the build in `.medusa/server`), copied once, so a rebuild in the repo while the
 * benchmark runs cannot pull the code from under the store. Every other dependency resolves from
 * the repo's `node_modules` by walking up. The project has no `src/`: whatever the plugin adds
 * must come from the package.
 */
export function writeStoreProject(): string {
  assertBuilt()
  rmSync(STORE_DIR, { recursive: true, force: true })
  const installed = join(STORE_DIR, "node_modules", "medusa-payment-webhooks")
  mkdirSync(installed, { recursive: true })
  copyFileSync(join(REPO_ROOT, "package.json"), join(installed, "package.json"))
  cpSync(join(REPO_ROOT, ".medusa", "server"), join(installed, ".medusa", "server"), { recursive: true })
  assertBuilt(installed)
  for (const file of ["medusa-config.js", "event-bus-hold.js"]) {
    copyFileSync(join(__dirname, file), join(STORE_DIR, file))
  }
  // The test stores' way of pointing Medusa's own Stripe provider at the loopback fake, shared.
  copyFileSync(join(REPO_ROOT, "integration-tests", "support", "medusa-stripe-host.js"), join(STORE_DIR, "stripe-api-host.js"))
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
  const pkg = {
    name: "mpw-bench-store",
    private: true,
    version: "0.0.0",
    dependencies: { "medusa-payment-webhooks": version, "@medusajs/medusa": "2.21.2", "@medusajs/payment-stripe": "2.21.2" },
  }
  writeFileSync(join(STORE_DIR, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`)
  return STORE_DIR
}

/** The absolute path of the benchmark's seed script, for `medusa exec`. */
export const SEED_SCRIPT = join(__dirname, "seed-bench.ts")
