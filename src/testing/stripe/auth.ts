import { StripeApiError } from "./errors"

const NO_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer " +
  "auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, " +
  "or we can help at https://support.stripe.com/."

/** A key as Stripe echoes it in errors: prefix and last four characters only, so no secret reaches a log. */
export function maskKey(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? ""
  const tail = key.length > prefix.length + 4 ? key.slice(-4) : ""
  return `${prefix}${"*".repeat(Math.max(key.length - prefix.length - tail.length, 4))}${tail}`
}

/** The API key in `Authorization` (Bearer, or Basic with the key as user name, both of which Stripe accepts). */
function keyFrom(authorization: string): string | null {
  const [scheme, value] = authorization.trim().split(/\s+/, 2)
  if (!value) {
    return null
  }
  if (scheme?.toLowerCase() === "bearer") {
    return value
  }
  if (scheme?.toLowerCase() === "basic") {
    return Buffer.from(value, "base64").toString("utf8").split(":")[0] ?? null
  }
  return null
}

/**
 * Stripe's 401 for a missing or unusable key, or null when the request may proceed.
 * Any `sk_…`/`rk_…` secret key is accepted unless `accepted` lists the only valid ones.
 */
export function checkApiKey(authorization: string | null, accepted: readonly string[] | undefined): StripeApiError | null {
  const key = authorization ? keyFrom(authorization) : null
  if (!key) {
    return new StripeApiError(401, { type: "invalid_request_error", message: NO_KEY_MESSAGE }, false)
  }
  if (key.startsWith("pk_")) {
    return new StripeApiError(
      401,
      {
        type: "invalid_request_error",
        message:
          "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list " +
          "of your API keys at https://dashboard.stripe.com/account/apikeys.",
      },
      false,
    )
  }
  const wellFormed = /^(sk|rk)_[A-Za-z0-9_]+$/.test(key)
  if (!wellFormed || (accepted && !accepted.includes(key))) {
    return new StripeApiError(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${maskKey(key)}` }, false)
  }
  return null
}
