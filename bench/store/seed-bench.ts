import { randomBytes } from "node:crypto"
import { writeFileSync } from "node:fs"
import type { ExecArgs, IAuthModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import { createAdminSecret } from "../../integration-tests/support/admin-key"
import { seedStore, type MarketSpec } from "../../integration-tests/support/seed"

/** One USD market offering both Stripe providers of the benchmark store. */
export const BENCH_MARKET: MarketSpec = {
  name: "United States",
  currency: "usd",
  country: "us",
  providers: ["pp_stripe_mpw", "pp_stripe_stripe"],
}

/** An admin user's email and password login (made up per store; never printed). */
export type AdminLogin = { email: string; password: string }

/** The admin login the seed wrote next to the rest, if the seeded store has one. */
export function adminLoginOf(seeded: object | undefined): AdminLogin | null {
  if (!seeded || !("adminLogin" in seeded)) {
    return null
  }
  const login = seeded.adminLogin
  if (login && typeof login === "object" && "email" in login && "password" in login) {
    const { email, password } = login
    return typeof email === "string" && typeof password === "string" ? { email, password } : null
  }
  return null
}

/** An admin user with an email and password login, as `medusa user` or an accepted invite makes one. */
async function createAdminUser(container: MedusaContainer): Promise<AdminLogin> {
  const login = { email: "admin@bench.example", password: randomBytes(16).toString("hex") }
  const auth = container.resolve<IAuthModuleService>(Modules.AUTH)
  const { success, authIdentity, error } = await auth.register("emailpass", { body: login })
  if (!success || !authIdentity) {
    throw new Error(`Could not register the bench's admin user: ${error}`)
  }
  await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity.id, userData: { email: login.email } } })
  return login
}

/**
 * `medusa exec <abs>/bench/store/seed-bench.ts <out.json>` in the benchmark store: the same seed as the
 * tests (sales channel, key, product, shipping) with the benchmark's market, plus an admin secret and
 * an admin user (the admin reads sign in as the dashboard does).
 */
export default async function seedBenchStore({ container, args }: ExecArgs): Promise<void> {
  const [outFile] = args
  if (!outFile) {
    throw new Error("Usage: medusa exec bench/store/seed-bench.ts <out.json>")
  }
  const seeded = await seedStore(container, [BENCH_MARKET])
  const adminSecret = await createAdminSecret(container)
  const adminLogin = await createAdminUser(container)
  writeFileSync(outFile, JSON.stringify({ ...seeded, adminSecret, adminLogin }, null, 2))
}
