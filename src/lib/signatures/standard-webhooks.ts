import { Webhook, WebhookVerificationError as PackageVerificationError } from "standardwebhooks"
import { WebhookVerificationError } from "../errors"
import { singleHeader } from "../raw-body"

/** The three Standard Webhooks headers, given one by one (undefined when absent). */
export type StandardWebhookHeaders = {
  id?: string
  timestamp?: string
  signature?: string
}

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
  /** `{ id, timestamp, signature }`, or the request's header map (Node lower-cases the names). */
  headers: StandardWebhookHeaders | Record<string, unknown>
  /** Every signing secret currently accepted (`whsec_<base64>`); several while one is rotated. */
  secrets: readonly string[]
  /** Largest accepted distance between the signature's timestamp and now, in seconds. */
  toleranceSeconds: number
  /** Clock in milliseconds; injectable for tests. See the note on {@link verifyStandardWebhook}. */
  now?: number
}

/** What a verified delivery yields: the message id (same on every retry), its timestamp, the parsed body. */
export type VerifiedStandardWebhook = { id: string; timestamp: number; payload: unknown }

/** The window the `standardwebhooks` package enforces on its own, against the system clock. */
export const PACKAGE_TOLERANCE_SECONDS = 300

const TIMESTAMP = /^\d{1,12}$/
const V1_SIGNATURE = /^v1,[A-Za-z0-9+/]+={0,2}$/

/** Reads the three headers from either accepted shape. */
function readHeaders(headers: StandardWebhookHeaders | Record<string, unknown>): StandardWebhookHeaders {
  const lowerCased: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(headers)) {
    lowerCased[name.toLowerCase()] = value
  }
  const fromMap = {
    id: singleHeader(lowerCased, "webhook-id"),
    timestamp: singleHeader(lowerCased, "webhook-timestamp"),
    signature: singleHeader(lowerCased, "webhook-signature"),
  }
  if (fromMap.id !== undefined || fromMap.timestamp !== undefined || fromMap.signature !== undefined) {
    return fromMap
  }
  const pick = (value: unknown) => (typeof value === "string" ? value : undefined)
  return { id: pick(lowerCased.id), timestamp: pick(lowerCased.timestamp), signature: pick(lowerCased.signature) }
}

/** Checks the headers are present and well-formed before any cryptography runs. */
function checkHeaders(headers: StandardWebhookHeaders): Required<StandardWebhookHeaders> {
  const missing = (["id", "timestamp", "signature"] as const).filter((name) => !headers[name])
  if (missing.length) {
    throw new WebhookVerificationError(
      "missing_header",
      `Missing Standard Webhooks header(s): ${missing.map((name) => `webhook-${name}`).join(", ")}`
    )
  }
  const { id = "", timestamp = "", signature = "" } = headers
  if (!TIMESTAMP.test(timestamp.trim())) {
    throw new WebhookVerificationError("malformed_header", "webhook-timestamp is not a Unix timestamp in seconds")
  }
  if (!signature.split(" ").some((part) => V1_SIGNATURE.test(part))) {
    throw new WebhookVerificationError("malformed_header", "webhook-signature has no `v1,<base64>` signature")
  }
  return { id, timestamp: timestamp.trim(), signature }
}

/** Builds the package's verifier; a secret that does not decode is a configuration error, not a forged request. */
function verifierFor(secret: string, index: number): Webhook {
  try {
    return new Webhook(secret)
  } catch {
    throw new Error(`Webhook secret #${index + 1} is not a valid \`whsec_<base64>\` secret`)
  }
}

/**
 * Verifies a Standard Webhooks delivery (Yoco, Svix, …) with the `standardwebhooks` package's
 * `Webhook.verify`, once per configured secret (it compares signatures in constant time).
 *
 * Our own, stricter tolerance is checked first, against the injectable clock. The package then
 * runs its fixed ±300 s check against the system clock (`Date.now()`, not injectable): so a test
 * that injects `now` must still sign with a timestamp within 300 s of real time, and a
 * `toleranceSeconds` above 300 is effectively capped at 300.
 * Throws {@link WebhookVerificationError} saying why; never returns an unverified body.
 */
export function verifyStandardWebhook(input: StandardWebhookVerifyInput): VerifiedStandardWebhook {
  const { rawBody, secrets, toleranceSeconds } = input
  const headers = checkHeaders(readHeaders(input.headers))
  if (!secrets.length) {
    throw new Error("No webhook secret is configured; Standard Webhooks deliveries cannot be verified")
  }
  const timestamp = Number(headers.timestamp)
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000)
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_outside_tolerance",
      `webhook-timestamp is ${nowSeconds - timestamp}s from now, outside the ${toleranceSeconds}s tolerance`
    )
  }
  const body = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8")
  const packageHeaders = {
    "webhook-id": headers.id,
    "webhook-timestamp": headers.timestamp,
    "webhook-signature": headers.signature,
  }
  const matched = secrets.some((secret, index) => {
    try {
      // jsonParse: false, so a signed-but-invalid body is reported as such below, not as a bad signature.
      verifierFor(secret, index).verify(body, packageHeaders, { jsonParse: false })
      return true
    } catch (error) {
      if (!(error instanceof PackageVerificationError)) {
        throw error
      }
      if (/timestamp/i.test(error.message)) {
        // Only reachable when the injected clock disagrees with the system clock (see above).
        throw new WebhookVerificationError(
          "timestamp_outside_tolerance",
          `webhook-timestamp is outside the standardwebhooks package's fixed ±${PACKAGE_TOLERANCE_SECONDS}s window (system clock)`
        )
      }
      return false
    }
  })
  if (!matched) {
    throw new WebhookVerificationError(
      "no_matching_signature",
      "No webhook-signature v1 signature matches the raw body for any configured webhook secret"
    )
  }
  return { id: headers.id, timestamp, payload: parseBody(body) }
}

/** Parses the verified body; a signed body that is not a JSON value is refused with its own reason. */
function parseBody(body: string): unknown {
  if (!body.trim()) {
    throw new WebhookVerificationError("malformed_body", "Standard Webhooks body is signed but empty")
  }
  try {
    return JSON.parse(body)
  } catch {
    throw new WebhookVerificationError("malformed_body", "Standard Webhooks body is signed but is not valid JSON")
  }
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

/** Produces the headers a Standard Webhooks sender would put on `payload`: the twin of verification. */
export function signStandardWebhook(input: StandardWebhookSignInput): StandardWebhookHeaderMap {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000)
  const secrets = typeof input.secret === "string" ? [input.secret] : input.secret
  const signatures = secrets.map((secret, index) =>
    verifierFor(secret, index).sign(input.id, new Date(timestamp * 1000), input.payload)
  )
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  }
}
