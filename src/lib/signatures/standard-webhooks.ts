import { createSecretKey, type KeyObject } from "node:crypto"
import { WebhookVerificationError } from "../errors"
import { singleHeader } from "../raw-body"
import { headerItems } from "./header-items"
import { BASE64, hmacSha256, signedByAny } from "./hmac"

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
  /** Clock in milliseconds; injectable for tests. */
  now?: number
  /**
   * The body as the web framework already parsed it from these same bytes, if any: it is returned
   * as the payload and the bytes are not parsed a second time.
   */
  parsedBody?: unknown
}

/** What a verified delivery yields: the message id (same on every retry), its timestamp, the parsed body. */
export type VerifiedStandardWebhook = { id: string; timestamp: number; payload: unknown }

/** The widest window the Standard Webhooks reference libraries accept; a wider one would take what they refuse. */
export const MAX_TOLERANCE_SECONDS = 300

const TIMESTAMP = /^\d{1,12}$/

const NO_V1_SIGNATURE = "webhook-signature has no `v1,<base64>` signature"

/** The three `webhook-*` headers of a lower-case header map. */
function webhookHeaders(map: Record<string, unknown>): StandardWebhookHeaders {
  return {
    id: singleHeader(map, "webhook-id"),
    timestamp: singleHeader(map, "webhook-timestamp"),
    signature: singleHeader(map, "webhook-signature"),
  }
}

/** Reads the three headers from either accepted shape. */
function readHeaders(headers: StandardWebhookHeaders | Record<string, unknown>): StandardWebhookHeaders {
  // Node's request headers are already lower-case: read them as given, and copy the map only if that misses one.
  const given = webhookHeaders(headers)
  if (given.id !== undefined && given.timestamp !== undefined && given.signature !== undefined) {
    return given
  }
  const lowerCased: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(headers)) {
    lowerCased[name.toLowerCase()] = value
  }
  const found = webhookHeaders(lowerCased)
  if (found.id !== undefined || found.timestamp !== undefined || found.signature !== undefined) {
    return found
  }
  const pick = (value: unknown) => (typeof value === "string" ? value : undefined)
  return { id: pick(lowerCased.id), timestamp: pick(lowerCased.timestamp), signature: pick(lowerCased.signature) }
}

/** The checked headers: the id, the timestamp, and the base64 of every `v1,` signature. */
type CheckedHeaders = { id: string; timestamp: string; v1Signatures: string[] }

/** Checks the headers are present and shaped as the scheme says (a v1 signature among them) before any cryptography runs. */
function checkHeaders(headers: StandardWebhookHeaders): CheckedHeaders {
  const { id, timestamp, signature } = headers
  if (!id || !timestamp || !signature) {
    const missing = (["id", "timestamp", "signature"] as const).filter((name) => !headers[name])
    throw new WebhookVerificationError(
      "missing_header",
      `Missing Standard Webhooks header(s): ${missing.map((name) => `webhook-${name}`).join(", ")}`
    )
  }
  const trimmed = timestamp.trim()
  if (!TIMESTAMP.test(trimmed)) {
    throw new WebhookVerificationError("malformed_header", "webhook-timestamp is not a Unix timestamp in seconds")
  }
  const v1Signatures = headerItems(signature, " ", "v1,")
  if (!v1Signatures.length) {
    throw new WebhookVerificationError("malformed_header", NO_V1_SIGNATURE)
  }
  return { id, timestamp: trimmed, v1Signatures }
}

const decodedSecrets = new Map<string, KeyObject>()

/**
 * The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the reference
 * libraries). A secret that does not decode is a configuration error, not a forged request, and
 * its message never shows the secret.
 */
function keyOf(secret: string, index: number): KeyObject {
  let key = decodedSecrets.get(secret)
  if (!key) {
    const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret
    const bytes = Buffer.from(encoded, "base64")
    if (!BASE64.test(encoded) || encoded.length % 4 !== 0 || !bytes.length) {
      throw new Error(`Webhook secret #${index + 1} is not a valid \`whsec_<base64>\` secret`)
    }
    // Kept as a KeyObject, as Stripe's secrets are (see secretKeyOf): prepared once, not per delivery.
    key = createSecretKey(bytes)
    decodedSecrets.set(secret, key)
  }
  return key
}

/** The HMAC of `<id>.<timestamp>.<body>` under one secret, in base64: what a `v1,<base64>` signature carries. */
function digestOf(key: KeyObject, id: string, timestamp: number, body: Buffer | string): string {
  return hmacSha256(key, `${id}.${timestamp}.`, body, "base64")
}

/**
 * Verifies a Standard Webhooks delivery (Yoco, Svix, …): one `v1,<base64>` of `webhook-signature`
 * must be the HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>` under one of the
 * configured secrets (compared in constant time), and the timestamp must be within our tolerance
 * of our (injectable) clock. The scheme is the `standardwebhooks` package's, which the tests hold
 * it to; the package hashes in JavaScript, ~10–20× the HMAC's cost (see {@link hmacSha256}).
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
  if (!signedByAny(secrets, headers.v1Signatures, (secret, index) => digestOf(keyOf(secret, index), headers.id, timestamp, rawBody))) {
    // Told apart only once nothing matched, so that the accepted path spends nothing on it.
    if (!headers.v1Signatures.some((value) => BASE64.test(value))) {
      throw new WebhookVerificationError("malformed_header", NO_V1_SIGNATURE)
    }
    throw new WebhookVerificationError(
      "no_matching_signature",
      "No webhook-signature v1 signature matches the raw body for any configured webhook secret"
    )
  }
  const payload = isNonEmptyObject(input.parsedBody) ? input.parsedBody : parseBody(rawBody)
  return { id: headers.id, timestamp, payload }
}

/** True for an object with at least one key (a framework that parsed no body leaves `{}`). */
function isNonEmptyObject(value: unknown): value is object {
  if (typeof value !== "object" || value === null) {
    return false
  }
  for (const _key in value) {
    return true
  }
  return false
}

/** Parses the verified body; a signed body that is not a JSON value is refused with its own reason. */
function parseBody(rawBody: Buffer | string): unknown {
  const body = typeof rawBody === "string" ? rawBody : rawBody.toString("utf8")
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
  const signatures = secrets.map((secret, index) => `v1,${digestOf(keyOf(secret, index), input.id, timestamp, input.payload)}`)
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  }
}
