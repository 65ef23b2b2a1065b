import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * HMAC-SHA256 of `prefix` followed by the raw body, hashed straight from the Buffer. Both Stripe
 * and Standard Webhooks sign `<something>.<body>`; the SDKs first turn the body into a string and
 * concatenate, and the `standardwebhooks` package hashes in JavaScript — 2× to 20× the cost of
 * the HMAC itself on the webhook hot path (see `npm run bench`), hence this one function by hand.
 */
export function hmacSha256(key: string | Buffer, prefix: string, rawBody: Buffer | string, encoding: "hex" | "base64"): string {
  return createHmac("sha256", key).update(prefix).update(rawBody).digest(encoding)
}

/**
 * Compares a signature from a header with the expected one in constant time. Only their length
 * (public: fixed by the scheme) decides without looking at every byte.
 */
export function sameSignature(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given, "utf8")
  const expectedBytes = Buffer.from(expected, "utf8")
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes)
}
