import type { MedusaContainer } from "@medusajs/framework/types"
import { createApiKeysWorkflow } from "@medusajs/medusa/core-flows"

/** Creates a secret admin API key (what a store's back office or a script would use) and returns its token. */
export async function createAdminSecret(container: MedusaContainer): Promise<string> {
  const {
    result: [key],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Tests", type: "secret", created_by: "tests" }] },
  })
  return key.token
}
