import type Stripe from "stripe"
import { WebhookVerificationError } from "../errors"
import { headerItems } from "./header-items"
import { hmacSha256, secretKeyOf, signedByAny } from "./hmac"

/** What a verified Stripe delivery yields: the parsed event, and the timestamp it was signed at. */
export type VerifiedStripeEvent = { event: Stripe.Event; signedAt: number }

/** Inputs to {@link verifyStripeSignature}. */
export type StripeVerifyInput = {
  /** The exact bytes Stripe sent. */
  rawBody: Buffer
  /** The `Stripe-Signature` header, if any. */
  header: string | undefined
  /** Every endpoint secret currently accepted (more than one while a secret is being rolled). */
  secrets: readonly string[]
  /** Largest accepted age of the signature, in seconds. */
  toleranceSeconds: number
  /** Clock in milliseconds; injectable for tests. */
  now?: number
  /**
   * The body as the web framework already parsed it from these same bytes, if any: verification
   * then checks only the signature and spares a second JSON.parse (the larger part of the cost).
   */
  parsedBody?: unknown
}

/** True for a parsed body that has the shape of a Stripe event. */
function looksLikeEvent(body: unknown): body is Stripe.Event {
  return hasIdAndType(body) && (body as { object?: unknown }).object === "event"
}

/** True for a value with the string `id` and `type` every event has. */
function hasIdAndType(body: unknown): body is Stripe.Event {
  return typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string" &&
    typeof (body as { type?: unknown }).type === "string"
}

const TIMESTAMP = /^\d+$/

/** Reads `t=…,v1=…,v1=…` (any order; other schemes such as v0 are ignored, as Stripe's SDK does). */
function parseHeader(header: string): { timestamp: number; signatures: string[] } {
  // The last t= counts, as in the SDK.
  const timestamp = headerItems(header, ",", "t=").pop()
  if (!timestamp || !TIMESTAMP.test(timestamp)) {
    throw new WebhookVerificationError("malformed_header", "Stripe-Signature header has no valid t= timestamp")
  }
  const signatures = headerItems(header, ",", "v1=")
  if (!signatures.length) {
    throw new WebhookVerificationError("malformed_header", "Stripe-Signature header has no v1 signature")
  }
  return { timestamp: Number(timestamp), signatures }
}

/** Parses the verified bytes; a signed body that is not JSON is refused with its own reason. */
function parseEvent(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString("utf8"))
  } catch {
    throw new WebhookVerificationError("malformed_body", "Stripe webhook body is signed but is not valid JSON")
  }
}

/**
 * Verifies a Stripe webhook: one `v1` of `Stripe-Signature` must be the HMAC-SHA256 of
 * `<t>.<raw body>` under one of the configured secrets (compared in constant time), and `t` must
 * be within the tolerance of our (injectable) clock. This is the scheme of the SDK's
 * `constructEvent`, which the tests hold it to; it hashes the raw Buffer rather than a string copy
 * (see {@link hmacSha256}), and reuses the body the web framework already parsed from these bytes.
 * Throws {@link WebhookVerificationError} saying why; never returns an unverified event.
 */
export function verifyStripeSignature(input: StripeVerifyInput): VerifiedStripeEvent {
  const { rawBody, header, secrets, toleranceSeconds } = input
  if (!header) {
    throw new WebhookVerificationError("missing_header", "Missing Stripe-Signature header")
  }
  const { timestamp, signatures } = parseHeader(header)
  const signedPrefix = `${timestamp}.`
  if (!signedByAny(secrets, signatures, (secret) => hmacSha256(secretKeyOf(secret), signedPrefix, rawBody, "hex"))) {
    throw new WebhookVerificationError(
      "no_matching_signature",
      "No Stripe-Signature v1 signature matches the raw body for any configured webhook secret"
    )
  }
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000)
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_outside_tolerance",
      `Stripe-Signature timestamp is ${nowSeconds - timestamp}s from now, outside the ${toleranceSeconds}s tolerance`
    )
  }
  if (looksLikeEvent(input.parsedBody)) {
    return { event: input.parsedBody, signedAt: timestamp }
  }
  const event = parseEvent(rawBody)
  if (!hasIdAndType(event)) {
    throw new WebhookVerificationError("malformed_body", "Stripe webhook body is not an event (no id or type)")
  }
  return { event, signedAt: timestamp }
}

/** Inputs to {@link signStripePayload}. */
export type StripeSignInput = {
  /** The exact body that will be sent. */
  payload: string
  /** One secret, or several to produce one v1 signature each (as Stripe does during a roll). */
  secret: string | readonly string[]
  /** Unix seconds; defaults to now. */
  timestamp?: number
}

/** Produces the `Stripe-Signature` header Stripe would send for `payload`: the twin of verification (the tests hold both to the SDK). */
export function signStripePayload(input: StripeSignInput): string {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const secrets = typeof input.secret === "string" ? [input.secret] : input.secret
  const signatures = secrets.map((secret) => `v1=${hmacSha256(secret, `${timestamp}.`, input.payload, "hex")}`)
  return [`t=${timestamp}`, ...signatures].join(",")
}
