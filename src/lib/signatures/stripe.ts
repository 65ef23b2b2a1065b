import Stripe from "stripe"
import { WebhookVerificationError } from "../errors"

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
  return typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string" &&
    typeof (body as { type?: unknown }).type === "string" && (body as { object?: unknown }).object === "event"
}

const TIMESTAMP = /^t=\d+$/

/** Splits `t=…,v1=…` and checks it has the parts Stripe always sends. */
function parseHeader(header: string): { timestamp: number; v1Count: number } {
  const parts = header.split(",").map((part) => part.trim())
  const timestampPart = parts.find((part) => part.startsWith("t="))
  const v1Count = parts.filter((part) => part.startsWith("v1=") && part.length > 3).length
  if (!timestampPart || !TIMESTAMP.test(timestampPart)) {
    throw new WebhookVerificationError("malformed_header", "Stripe-Signature header has no valid t= timestamp")
  }
  if (v1Count === 0) {
    throw new WebhookVerificationError("malformed_header", "Stripe-Signature header has no v1 signature")
  }
  return { timestamp: Number(timestampPart.slice(2)), v1Count }
}

/**
 * Verifies a Stripe webhook with the SDK (`constructEvent`, or its `verifyHeader` half when the
 * body was already parsed), once per configured secret (the SDK compares in constant time), then
 * checks the signature's age against our own clock.
 * Throws {@link WebhookVerificationError} saying why; never returns an unverified event.
 */
export function verifyStripeSignature(input: StripeVerifyInput): VerifiedStripeEvent {
  const { rawBody, header, secrets, toleranceSeconds } = input
  if (!header) {
    throw new WebhookVerificationError("missing_header", "Missing Stripe-Signature header")
  }
  const { timestamp } = parseHeader(header)
  let event: Stripe.Event | undefined
  const verifyOnly = looksLikeEvent(input.parsedBody) ? Stripe.webhooks.signature : null
  for (const secret of secrets) {
    try {
      // Tolerance 0 tells the SDK to skip its own age check: ours below uses the injectable clock.
      if (verifyOnly && looksLikeEvent(input.parsedBody)) {
        verifyOnly.verifyHeader(rawBody, header, secret, 0)
        event = input.parsedBody
      } else {
        event = Stripe.webhooks.constructEvent(rawBody, header, secret, 0)
      }
      break
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new WebhookVerificationError("malformed_body", "Stripe webhook body is signed but is not valid JSON")
      }
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) {
        throw error
      }
    }
  }
  if (!event) {
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
  if (typeof event.id !== "string" || typeof event.type !== "string") {
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

/** Produces the `Stripe-Signature` header Stripe would send for `payload`: the twin of verification. */
export function signStripePayload(input: StripeSignInput): string {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const secrets = typeof input.secret === "string" ? [input.secret] : input.secret
  const signatures = secrets.map((secret) => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload: input.payload, secret, timestamp })
    return header.split(",").find((part) => part.startsWith("v1="))
  })
  return [`t=${timestamp}`, ...signatures].join(",")
}
