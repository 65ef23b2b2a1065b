import { Webhook } from "standardwebhooks"
import { WebhookVerificationError } from "../../lib/errors"
import { singleHeader } from "../../lib/raw-body"

/** The header map a Standard Webhooks sender puts on the request (and {@link signStandardWebhook} returns). */
export type StandardWebhookHeaderMap = {
  "webhook-id": string
  "webhook-timestamp": string
  "webhook-signature": string
}

/** Inputs to {@link verifyStandardWebhook}. */
export type StandardWebhookVerifyInput = {
  /** The exact bytes the sender signed. */
  rawBody: Buffer | string
  /** The request's header map (Node lower-cases the names). */
  headers: Record<string, unknown>
  /** Every signing secret currently accepted (`whsec_<base64>`); several while one is rotated. */
  secrets: readonly string[]
  /** Largest accepted distance between the signature's timestamp and now, in seconds. */
  toleranceSeconds: number
  /** Clock in milliseconds for our own window; injectable for tests (the library keeps its own ±300 s on the real clock). */
  now?: number
}

/** What a verified delivery yields: the message id (same on every retry), its timestamp, the parsed body. */
export type VerifiedStandardWebhook = { id: string; timestamp: number; payload: unknown }

/** The window the `standardwebhooks` library enforces itself; a wider one would take what it refuses. */
export const MAX_TOLERANCE_SECONDS = 300

const TIMESTAMP = /^\d{1,12}$/

const verifiers = new Map<string, Webhook>()

/**
 * The library's verifier for one `whsec_<base64>` secret, built once. A secret that does not
 * decode is a configuration error, and its message never shows the secret.
 */
export function standardWebhookFor(secret: string, index = 0): Webhook {
  let verifier = verifiers.get(secret)
  if (!verifier) {
    const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret
    // The library's decoder is lenient about some malformed input: hold the secret to strict base64 first.
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
      throw new Error(`Webhook secret #${index + 1} is not a valid \`whsec_<base64>\` secret`)
    }
    verifier = new Webhook(secret)
    verifiers.set(secret, verifier)
  }
  return verifier
}

/** A header by its lower-case name; Node's map is lower-case already, any other map is looked through. */
function headerOf(headers: Record<string, unknown>, name: string): string | undefined {
  const direct = singleHeader(headers, name)
  if (direct !== undefined) {
    return direct
  }
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
  return key === undefined ? undefined : singleHeader({ [name]: headers[key] }, name)
}

/** Reads the three headers; says which are missing. */
function readHeaders(headers: Record<string, unknown>): StandardWebhookHeaderMap {
  const id = headerOf(headers, "webhook-id")
  const timestamp = headerOf(headers, "webhook-timestamp")
  const signature = headerOf(headers, "webhook-signature")
  if (!id || !timestamp || !signature) {
    const missing = [
      ["webhook-id", id],
      ["webhook-timestamp", timestamp],
      ["webhook-signature", signature],
    ].filter(([, value]) => !value)
    throw new WebhookVerificationError("missing_header", `Missing Standard Webhooks header(s): ${missing.map(([name]) => name).join(", ")}`)
  }
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }
}

/**
 * Verifies a Standard Webhooks delivery (Yoco, Svix, …) with the `standardwebhooks` library, once
 * per configured secret, after checking the timestamp against our own (stricter, injectable)
 * window. Throws {@link WebhookVerificationError} with a typed reason; never returns an unverified body.
 */
export function verifyStandardWebhook(input: StandardWebhookVerifyInput): VerifiedStandardWebhook {
  const { rawBody, secrets, toleranceSeconds } = input
  const headers = readHeaders(input.headers)
  const stamp = headers["webhook-timestamp"].trim()
  if (!TIMESTAMP.test(stamp)) {
    throw new WebhookVerificationError("malformed_header", "webhook-timestamp is not a Unix timestamp in seconds")
  }
  if (!headers["webhook-signature"].split(" ").some((item) => item.startsWith("v1,"))) {
    throw new WebhookVerificationError("malformed_header", "webhook-signature has no `v1,<base64>` signature")
  }
  if (!secrets.length) {
    throw new Error("No webhook secret is configured; Standard Webhooks deliveries cannot be verified")
  }
  const timestamp = Number(stamp)
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000)
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_outside_tolerance",
      `webhook-timestamp is ${nowSeconds - timestamp}s from now, outside the ${toleranceSeconds}s tolerance`,
    )
  }
  const body = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8")
  let refusal = "No webhook-signature v1 signature matches the raw body for any configured webhook secret"
  for (const [index, secret] of secrets.entries()) {
    const verifier = standardWebhookFor(secret, index)
    let payload: unknown
    try {
      payload = verifier.verify(body, headers)
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new WebhookVerificationError("malformed_body", "Standard Webhooks body is signed but is not valid JSON")
      }
      const message = error instanceof Error ? error.message : String(error)
      if (message.startsWith("Message timestamp")) {
        // The library's own ±300 s on the real clock, wider than ours: only reached with an injected clock.
        refusal = `webhook-timestamp refused: ${message}`
      }
      continue
    }
    if (payload === undefined) {
      throw new WebhookVerificationError("malformed_body", "Standard Webhooks body is signed but empty")
    }
    return { id: headers["webhook-id"], timestamp, payload }
  }
  throw new WebhookVerificationError(refusal.startsWith("No") ? "no_matching_signature" : "timestamp_outside_tolerance", refusal)
}

/** Inputs to {@link signStandardWebhook}. */
export type StandardWebhookSignInput = {
  /** Message id (`webhook-id`); a sender keeps it across retries. */
  id: string
  /** Unix seconds; defaults to now. */
  timestamp?: number
  /** The exact body that will be sent. */
  payload: string | Buffer
  /** One `whsec_…` secret, or several to produce one v1 signature each (space-separated). */
  secret: string | readonly string[]
}

/** Produces the headers a Standard Webhooks sender would put on `payload`, signed by the library. */
export function signStandardWebhook(input: StandardWebhookSignInput): StandardWebhookHeaderMap {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const secrets = typeof input.secret === "string" ? [input.secret] : input.secret
  const signatures = secrets.map((secret, index) =>
    standardWebhookFor(secret, index).sign(input.id, new Date(timestamp * 1000), input.payload),
  )
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  }
}
