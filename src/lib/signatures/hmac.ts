import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * HMAC-SHA256 of `prefix` followed by the raw body, hashed straight from the Buffer. Both Stripe
 * and Standard Webhooks sign `<something>.<body>`; the SDKs first turn the body into a string and
 * concatenate, and the `standardwebhooks` package hashes in JavaScript — 2× to 20× the cost of
 * the HMAC itself on the webhook hot path (see `npm run bench`), hence these functions by hand.
 */
export function hmacSha256(key: string | Buffer, prefix: string, rawBody: Buffer | string): Buffer {
  return createHmac("sha256", key).update(prefix).update(rawBody).digest()
}

/** Standard base64, padded. */
export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** Spellings a signature may have: what the senders (and the reference libraries, comparing strings) produce. */
const SPELLING = { hex: /^[0-9a-f]+$/, base64: BASE64 } as const

/** Length of the encoding of `bytes` bytes. */
const encodedLength = (bytes: number, encoding: "hex" | "base64") => (encoding === "hex" ? bytes * 2 : Math.ceil(bytes / 3) * 4)

/**
 * True when a signature from a header, in its sender's spelling, is the expected digest; the
 * digests are compared in constant time (only the length, fixed by the scheme, is not secret).
 */
export function signatureMatches(given: string, expected: Buffer, encoding: "hex" | "base64"): boolean {
  if (given.length !== encodedLength(expected.length, encoding) || !SPELLING[encoding].test(given)) {
    return false
  }
  const decoded = Buffer.from(given, encoding)
  return decoded.length === expected.length && timingSafeEqual(decoded, expected)
}
