import { createHash } from "node:crypto"

/** SHA-256 of the raw body, hex: identifies the exact bytes a delivery carried. */
export function bodyHash(rawBody: Buffer): string {
  return createHash("sha256").update(rawBody).digest("hex")
}
