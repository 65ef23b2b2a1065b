import Stripe from "stripe"
import { WebhookVerificationError, type WebhookVerificationReason } from "../../lib/errors"

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
}

/** The SDK's webhook helpers; they need no API key. */
const webhooks = Stripe.webhooks

/** The SDK's refusal, told apart by its message (the SDK has one error class for every cause). */
function reasonOf(message: string): WebhookVerificationReason {
  if (message.startsWith("Timestamp outside the tolerance zone")) {
    return "timestamp_outside_tolerance"
  }
  if (message.startsWith("No signatures found matching")) {
    return "no_matching_signature"
  }
  if (message.startsWith("No webhook payload")) {
    return "malformed_body"
  }
  return "malformed_header"
}

/** Our one-line message for the SDK's refusal (its own carries documentation links over several lines). */
function messageOf(reason: WebhookVerificationReason, sdkMessage: string, toleranceSeconds: number): string {
  switch (reason) {
    case "timestamp_outside_tolerance":
      return `Stripe-Signature timestamp is outside the ${toleranceSeconds}s tolerance`
    case "no_matching_signature":
      return "No Stripe-Signature v1 signature matches the raw body for any configured webhook secret"
    default:
      return `Stripe-Signature refused: ${sdkMessage.split("\n")[0]}`
  }
}

/** The `t=` of a header that verified. */
function timestampOf(header: string): number {
  const item = header
    .split(",")
    .reverse()
    .find((part) => part.trim().startsWith("t="))
  return Number(item?.trim().slice(2))
}

/** True for a value with the string `id` and `type` every event has. */
function isEvent(body: unknown): body is Stripe.Event {
  return (
    typeof body === "object" &&
    body !== null &&
    "id" in body &&
    typeof body.id === "string" &&
    "type" in body &&
    typeof body.type === "string"
  )
}

/**
 * Verifies a Stripe webhook with the SDK (`constructEvent`), once per configured secret (several while Stripe rolls a
 * secret): one `v1` of `Stripe-Signature` must be the HMAC of `<t>.<raw body>` and `t` within the tolerance. Throws {@link WebhookVerificationError} with a typed reason; never
 * returns an unverified event. An expired signature that matched wins over "no match" from another secret.
 */
export function verifyStripeSignature(input: StripeVerifyInput): VerifiedStripeEvent {
  const { rawBody, header, secrets, toleranceSeconds } = input
  if (!header) {
    throw new WebhookVerificationError("missing_header", "Missing Stripe-Signature header")
  }
  if (!secrets.length) {
    throw new Error("No Stripe webhook secret is configured; deliveries cannot be verified")
  }
  let refusal: WebhookVerificationError | undefined
  for (const secret of secrets) {
    let event: unknown
    try {
      // The SDK checks the signature on the raw bytes, then parses those very bytes into the event.
      event = webhooks.constructEvent(rawBody, header, secret, toleranceSeconds, undefined, input.now)
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new WebhookVerificationError("malformed_body", "Stripe webhook body is signed but is not valid JSON")
      }
      const message = error instanceof Error ? error.message : String(error)
      const reason = reasonOf(message)
      if (!refusal || reason === "timestamp_outside_tolerance") {
        refusal = new WebhookVerificationError(reason, messageOf(reason, message, toleranceSeconds))
      }
      continue
    }
    if (!isEvent(event)) {
      throw new WebhookVerificationError("malformed_body", "Stripe webhook body is not an event (no id or type)")
    }
    return { event, signedAt: timestampOf(header) }
  }
  throw refusal ?? new WebhookVerificationError("no_matching_signature", messageOf("no_matching_signature", "", toleranceSeconds))
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

/** Produces the `Stripe-Signature` header Stripe would send for `payload`, with the SDK's own test signer. */
export function signStripePayload(input: StripeSignInput): string {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const secrets = typeof input.secret === "string" ? [input.secret] : input.secret
  // The SDK signs under one secret; a header during a roll carries one v1 per secret after one t=.
  const signatures = secrets.map((secret) =>
    webhooks
      .generateTestHeaderString({ payload: input.payload, secret, timestamp })
      .split(",")
      .filter((part) => part.startsWith("v1=")),
  )
  return [`t=${timestamp}`, ...signatures.flat()].join(",")
}
