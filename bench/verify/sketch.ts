import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * Bench-only sketches of the verification the figures suggest (not used by the plugin): the HMAC is
 * computed with node:crypto straight over the raw Buffer (no string copy, no pure-JS SHA-256), the
 * header is scanned without splitting it, and signatures are compared in constant time. Parsing
 * the body is left to the caller, who already has it: Medusa's JSON body parser parsed the same
 * bytes into `req.body`.
 */

/** Constant-time comparison of two ASCII signatures (hex or base64). */
function sameSignature(given: string, expected: string): boolean {
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
}

/** True when one `v1=` of a `Stripe-Signature` header is the HMAC of `${t}.${raw}` under one of `secrets`. */
export function stripeSignatureMatches(raw: Buffer, header: string, secrets: readonly string[]): boolean {
  const tAt = header.indexOf("t=")
  if (tAt < 0) {
    return false
  }
  const tEnd = header.indexOf(",", tAt)
  const prefix = `${header.slice(tAt + 2, tEnd < 0 ? undefined : tEnd)}.`
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(prefix).update(raw).digest("hex")
    for (let at = header.indexOf("v1="); at >= 0; at = header.indexOf("v1=", at + 3)) {
      if (sameSignature(header.substr(at + 3, 64), expected)) {
        return true
      }
    }
  }
  return false
}

/** True when one `v1,<base64>` of `webhook-signature` is the HMAC of `${id}.${t}.${raw}` under one of `keys` (decoded secrets). */
export function standardSignatureMatches(raw: Buffer, headers: Record<string, string>, keys: readonly Buffer[]): boolean {
  const prefix = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.`
  const signatures = headers["webhook-signature"]
  for (const key of keys) {
    const expected = createHmac("sha256", key).update(prefix).update(raw).digest("base64")
    for (let at = signatures.indexOf("v1,"); at >= 0; at = signatures.indexOf("v1,", at + 3)) {
      const end = signatures.indexOf(" ", at)
      if (sameSignature(signatures.slice(at + 3, end < 0 ? undefined : end), expected)) {
        return true
      }
    }
  }
  return false
}
