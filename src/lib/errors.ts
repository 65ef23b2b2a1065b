/** Why a webhook delivery was refused; stable codes that logs, metrics and tests can rely on. */
export type WebhookVerificationReason =
  | "missing_header"
  | "malformed_header"
  | "no_matching_signature"
  | "timestamp_outside_tolerance"
  | "not_raw_body"
  | "malformed_body"

/**
 * Thrown when a webhook body cannot be proven to come from the PSP.
 * Its message is one line that says what is wrong, never the secret or the body.
 */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError"

  constructor(
    readonly reason: WebhookVerificationReason,
    message: string
  ) {
    super(message)
  }
}

/** True for a {@link WebhookVerificationError}, also across module copies (plugin build vs source). */
export function isWebhookVerificationError(error: unknown): error is WebhookVerificationError {
  return error instanceof Error && error.name === "WebhookVerificationError" && "reason" in error
}
