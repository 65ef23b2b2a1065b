import type { MedusaContainer } from "@medusajs/framework/types"
import { createAdminSecret } from "./admin-key"
import { seedStore, type SeededStore } from "./seed"
import { StoreClient } from "./store-client"

/** Seeds the test store and makes a client with its publishable key and an admin secret key (returned too, for raw admin calls). */
export async function seededClient(
  container: MedusaContainer,
  baseUrl: string,
): Promise<{ seeded: SeededStore; client: StoreClient; adminSecret: string }> {
  const seeded = await seedStore(container)
  const adminSecret = await createAdminSecret(container)
  return { seeded, client: new StoreClient(baseUrl, seeded.publishableKey, adminSecret), adminSecret }
}
