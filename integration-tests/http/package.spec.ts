import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { runCommand } from "../support/run-command"

/**
 * The built package as a store gets it: `npm run build`, then a project whose
 * node_modules/medusa-payment-webhooks is this package, importing its public entry points and
 * running its `bin` from there; and what `npm pack` would publish.
 */
jest.setTimeout(300_000)

const ROOT = realpathSync(join(__dirname, "..", ".."))
const BUILT = join(ROOT, ".medusa", "server", "src")
const PACKAGE = "medusa-payment-webhooks"

/** Runs a command in `cwd` to its end. */
const run = (command: string, args: string[], cwd: string) => runCommand(command, args, { cwd })

/** What the store's code sees when it loads the package's entry points. */
const PROBE = `
const resolved = {}
for (const entry of ["testing", "providers/stripe", "providers/yoco", "modules/payment-webhooks"]) {
  resolved[entry] = require.resolve("${PACKAGE}/" + entry)
}
const stripe = require("${PACKAGE}/providers/stripe").default
const yoco = require("${PACKAGE}/providers/yoco").default
const inbox = require("${PACKAGE}/modules/payment-webhooks").default
const kit = require("${PACKAGE}/testing")
async function main() {
  const fakeStripe = new kit.FakeStripe()
  const fakeYoco = new kit.FakeYoco()
  const urls = [await fakeStripe.start(), (await fakeYoco.start()).url]
  await fakeStripe.stop()
  await fakeYoco.stop()
  const signed = kit.signStripeEvent({ id: "evt_1", object: "event" }, { secret: "whsec_probe" })
  console.log(JSON.stringify({
    resolved,
    identifiers: [stripe.services[0].identifier, yoco.services[0].identifier],
    inboxService: typeof inbox.service,
    kit: Object.keys(kit).sort(),
    urls,
    signature: signed.headers["stripe-signature"],
  }))
}
main().catch((error) => { console.error(error); process.exit(1) })
`

describe("the built package, installed in a store", () => {
  let store: string
  let bin: string

  beforeAll(async () => {
    const build = await run("npm", ["run", "build"], ROOT)
    if (build.code !== 0) {
      throw new Error(`npm run build failed (${build.code}):\n${(build.stdout + build.stderr).slice(-3000)}`)
    }
    store = mkdtempSync(join(tmpdir(), "mpw-store-"))
    writeFileSync(join(store, "package.json"), JSON.stringify({ name: "a-store", private: true, dependencies: { [PACKAGE]: "*" } }))
    mkdirSync(join(store, "node_modules", ".bin"), { recursive: true })
    // As npm links a folder dependency; its own dependencies resolve from the package's real path.
    symlinkSync(ROOT, join(store, "node_modules", PACKAGE), "dir")
    const { bin: bins } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"))
    const target = join(store, "node_modules", PACKAGE, bins[PACKAGE])
    // npm makes a bin executable and links it into node_modules/.bin when it installs the package.
    chmodSync(target, 0o755)
    bin = join(store, "node_modules", ".bin", PACKAGE)
    symlinkSync(target, bin)
  })

  afterAll(() => {
    if (store) {
      rmSync(store, { recursive: true, force: true })
    }
  })

  it("resolves and loads the testing kit, both providers and the inbox module from the build", async () => {
    const probe = await run(process.execPath, ["-e", PROBE], store)
    expect(probe.stderr).toBe("")
    expect(probe.code).toBe(0)
    const result = JSON.parse(probe.stdout)
    expect(result.resolved).toEqual({
      testing: join(BUILT, "testing", "index.js"),
      "providers/stripe": join(BUILT, "providers", "stripe", "index.js"),
      "providers/yoco": join(BUILT, "providers", "yoco", "index.js"),
      "modules/payment-webhooks": join(BUILT, "modules", "payment-webhooks", "index.js"),
    })
    expect(result.identifiers).toEqual(["stripe", "yoco"])
    expect(result.inboxService).toBe("function")
    expect(result.kit).toEqual(expect.arrayContaining(["FakeStripe", "FakeYoco", "signStripeEvent", "signYocoEvent"]))
    expect(result.urls).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api$/),
    ])
    expect(result.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
  })

  it("builds the admin page and the order widget into the bundle a store's admin loads", () => {
    // What `medusa-payment-webhooks/admin` resolves to: the store's admin build takes its routes and widgets from here.
    const bundle = readFileSync(join(BUILT, "admin", "index.mjs"), "utf8")
    expect(bundle).toContain('"/payment-webhooks"')
    expect(bundle).toContain("order.details.side")
    expect(bundle).toContain("Payment webhooks")
  })

  it("runs the bin from node_modules/.bin: --help exits 0, an unknown command exits 2", async () => {
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node")
    const help = await run(bin, ["--help"], store)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: medusa-payment-webhooks <command>/)
    expect(help.stdout).toContain("trigger <stripe|yoco> <event>")
    const trigger = await run(bin, ["trigger", "--help"], store)
    expect(trigger.code).toBe(0)
    expect(trigger.stdout).toContain("payment_intent.amount_capturable_updated")
    const unknown = await run(bin, ["nonsense"], store)
    expect(unknown.code).toBe(2)
  })

  it("publishes the build, the kit and the migrations, and no TypeScript sources or tests", async () => {
    const pack = await run("npm", ["pack", "--dry-run", "--json"], ROOT)
    expect(pack.code).toBe(0)
    const [manifest] = JSON.parse(pack.stdout)
    const files: string[] = manifest.files.map((file: { path: string }) => file.path)
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        ".medusa/server/src/providers/stripe/index.js",
        ".medusa/server/src/providers/yoco/index.js",
        ".medusa/server/src/modules/payment-webhooks/index.js",
        ".medusa/server/src/testing/index.js",
        ".medusa/server/src/testing/stripe/index.js",
        ".medusa/server/src/testing/yoco/index.js",
        ".medusa/server/src/cli/index.js",
        ".medusa/server/src/api/admin/payment-webhooks/route.js",
        // The admin page and order widget, as the store's admin build loads them from `medusa-payment-webhooks/admin`.
        ".medusa/server/src/admin/index.js",
        ".medusa/server/src/admin/index.mjs",
      ]),
    )
    expect(files.filter((file) => /\/migrations\/Migration\d+\.js$/.test(file)).length).toBeGreaterThan(0)
    expect(files.filter((file) => file.startsWith("src/") || file.startsWith("integration-tests/"))).toEqual([])
    expect(files.filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".d.ts"))).toEqual([])
    expect(files.filter((file) => /\.(spec|test)\.[cm]?[jt]s$/.test(file) || file.includes("__tests__"))).toEqual([])
  })
})
