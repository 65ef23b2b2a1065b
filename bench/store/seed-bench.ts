import { writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { createAdminSecret } from "../../integration-tests/support/admin-key"
import { seedStore, type MarketSpec } from "../../integration-tests/support/seed"

/** One USD market offering both Stripe providers of the benchmark store. */
export const BENCH_MARKET: MarketSpec = {
  name: "United States",
  currency: "usd",
  country: "us",
  providers: ["pp_stripe_mpw", "pp_stripe_stripe"],
}

/**
 * `medusa exec <abs>/bench/store/seed-bench.ts <out.json>` in the benchmark store: the same seed as the
 * tests (sales channel, key, product, shipping) with the benchmark's market, plus an admin secret.
 */
export default async function seedBenchStore({ container, args }: ExecArgs): Promise<void> {
  const [outFile] = args
  if (!outFile) {
    throw new Error("Usage: medusa exec bench/store/seed-bench.ts <out.json>")
  }
  const seeded = await seedStore(container, [BENCH_MARKET])
  const adminSecret = await createAdminSecret(container)
  writeFileSync(outFile, JSON.stringify({ ...seeded, adminSecret }, null, 2))
}
