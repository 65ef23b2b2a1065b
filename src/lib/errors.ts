/** Why a webhook delivery was refused; stable codes that logs, metrics and tests can rely on. */
export type WebhookVerificationReason =
  "missing_header" | "malformed_header" | "no_matching_signature" | "timestamp_outside_tolerance" | "not_raw_body" | "malformed_body"

/**
 * Thrown when a webhook body cannot be proven to come from the PSP.
 * Its message is one line that says what is wrong, never the secret or the body.
 */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError"

  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message)
  }
}

/** True for a {@link WebhookVerificationError}, also across module copies (plugin build vs source). */
export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  return error instanceof Error && error.name === "WebhookVerificationError" && "reason" in error
}

/**
 * Thrown when a correctly signed event carries content the plugin cannot use (no object, an amount
 * that is not a whole number, a currency that is not a code…). Retrying cannot help: the delivery
 * is recorded `ignored` with this message, never answered 5xx.
 */
export class UnusableEventError extends Error {
  override readonly name = "UnusableEventError"
}

/** True for an {@link UnusableEventError}, also across module copies. */
export function isUnusableEventError(error: unknown): error is UnusableEventError {
  return error instanceof Error && error.name === "UnusableEventError"
}

/**
 * One readable line for any thrown value: an Error's message, a workflow's list of errors, an object's
 * `message`, else its JSON, never `[object Object]`. Capped, so a log or a row never holds a whole payload.
 */
export function errorMessage(error: unknown, max = 500): string {
  let text: string
  if (error instanceof Error) {
    text = error.message || error.name
  } else if (Array.isArray(error)) {
    text = error.map((item) => errorMessage(item, max)).join("; ")
  } else if (typeof error === "object" && error !== null) {
    const inner = "error" in error ? error.error : "message" in error ? error.message : undefined
    text = inner !== undefined && inner !== error ? errorMessage(inner, max) : safeJson(error)
  } else {
    text = String(error)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/**
 * The database's own reason for a failure, from a driver error. The driver's message starts with the
 * SQL and its parameters (a raw body among them), then " - ", then the reason: only what follows the
 * last " - " may reach a log or an answer. A statement the database cancelled (a statement timeout)
 * says so plainly.
 */
export function databaseReason(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error && error.code === "57014") {
    return "the database cancelled a statement that ran past its timeout (canceling statement due to statement timeout)"
  }
  const message = error instanceof Error ? error.message : errorMessage(error)
  return errorMessage(message.split(" - ").pop() || "unknown error", 200)
}
