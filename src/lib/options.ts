import { z } from "zod"
import { MedusaError } from "@medusajs/framework/utils"

/** One signing secret: surrounding spaces (a list split from an env line) trimmed; one with spaces inside cannot work. */
const webhookSecretSchema = z.string().trim().min(1).regex(/^\S+$/, { message: "must not contain whitespace" })

/** One webhook signing secret, or several while a secret is being rolled. */
export const webhookSecretsSchema = z.union([webhookSecretSchema, z.array(webhookSecretSchema).min(1)])

/** Normalises `webhookSecret` to the list of every secret currently accepted. */
export function secretList(secret: string | readonly string[]): readonly string[] {
  return typeof secret === "string" ? [secret] : secret
}

/** Reads the value at a zod issue path, to tell a missing option from a wrong one. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input
  for (const key of path) {
    if (typeof value !== "object" || value === null) {
      return undefined
    }
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/**
 * Parses options (`owner` says whose, e.g. "Stripe provider") with a zod schema; a failure becomes a MedusaError naming the option,
 * so a store fails at boot with "Required option `apiKey` is missing in the Stripe provider".
 */
export function parseProviderOptions<T extends z.ZodType>(schema: T, input: unknown, owner: string): z.output<T> {
  const result = schema.safeParse(input ?? {})
  if (result.success) {
    return result.data
  }
  const issue = result.error.issues[0]
  const option = issue.path.length ? issue.path.join(".") : "(options)"
  const missing = valueAt(input, issue.path) === undefined
  const message = missing
    ? `Required option \`${option}\` is missing in the ${owner}`
    : `Invalid option \`${option}\` in the ${owner}: ${issue.message}`
  throw new MedusaError(MedusaError.Types.INVALID_DATA, message)
}
