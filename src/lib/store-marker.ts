import { createHmac, timingSafeEqual } from "node:crypto"

/** The metadata key, on a PSP object this store creates (Stripe PaymentIntent, Yoco checkout), holding {@link storeMarker}. */
export const STORE_MARKER_KEY = "store_marker"

/** What the marker signs besides the session id; the version lets a later scheme sit beside this one. */
const LABEL = "medusa-payment-webhooks:store-marker:v1"

/** Hex characters kept: 64 bits cannot be guessed, and stay short in a dashboard's metadata view. */
const LENGTH = 16

/** What every marker looks like: {@link LENGTH} lower-case hex characters. */
const MARKER_SHAPE = new RegExp(`^[0-9a-f]{${LENGTH}}$`)

// Hand-written on purpose: this is not a PSP's signature scheme (those go through the `stripe` SDK and
// `standardwebhooks`), but a tag of this store's own, which neither library offers; it is one HMAC call.
function markerWith(secret: string, sessionId: string): string {
  return createHmac("sha256", secret).update(`${LABEL}:${sessionId}`).digest("hex").slice(0, LENGTH)
}

/**
 * The marker this store puts on the PSP object of a payment session: an HMAC of the session id keyed
 * with the provider's webhook signing secret (the first, when several are configured). One PSP account's
 * endpoint receives the events of every store and integration on it; only this store can produce the
 * marker, so a paid event whose session is gone can tell "ours, since deleted" from "not ours".
 */
export function storeMarker(secrets: readonly string[], sessionId: string): string {
  return markerWith(secrets[0], sessionId)
}

/**
 * True when `marker` is {@link storeMarker} of `sessionId` under any configured secret (a rolled
 * secret still recognises what its predecessor marked, while both are configured). A missing marker
 * (a PSP object created before markers, or by someone else) is false.
 */
export function isStoreMarker(marker: unknown, secrets: readonly string[], sessionId: string | undefined): boolean {
  // The shape first: the constant-time compare throws on inputs of different byte lengths, and a
  // 16-character string of non-ASCII characters is longer than 16 bytes.
  if (typeof marker !== "string" || !MARKER_SHAPE.test(marker) || !sessionId) {
    return false
  }
  const given = Buffer.from(marker)
  return secrets.some((secret) => timingSafeEqual(Buffer.from(markerWith(secret, sessionId)), given))
}
