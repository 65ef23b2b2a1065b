import { randomBytes } from "node:crypto"

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** A random alphanumeric string, like the tail of a Stripe id. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length)
  let token = ""
  for (const byte of bytes) {
    token += ALPHABET[byte % ALPHABET.length]
  }
  return token
}

/** A Stripe-looking id such as `pi_3Pz…` (24 characters after the prefix, as Stripe's are). */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(24)}`
}

/** The id inside an expandable field (`"cus_…"` or `{ id: "cus_…" }`), or null. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) {
    return null
  }
  return typeof value === "string" ? value : value.id
}
