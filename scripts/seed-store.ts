import { writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { createAdminSecret } from "../integration-tests/support/admin-key"
import { configuredMarkets, seedStore } from "../integration-tests/support/seed"

/**
 * `medusa exec ./scripts/seed-store.ts <out.json>`: seeds a fresh store for the demo and the
 * process-level tests, and writes the ids and keys they need to `<out.json>`.
 */
export default async function seedStoreScript({ container, args }: ExecArgs): Promise<void> {
  const [outFile] = args
  if (!outFile) {
    throw new Error("Usage: medusa exec ./scripts/seed-store.ts <out.json>")
  }
  const seeded = await seedStore(container, configuredMarkets())
  const adminSecret = await createAdminSecret(container)
  writeFileSync(outFile, JSON.stringify({ ...seeded, adminSecret }, null, 2))
}
