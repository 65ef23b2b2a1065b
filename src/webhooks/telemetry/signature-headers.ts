import type { IncomingHttpHeaders } from "node:http"

/**
 * Headers that carry a webhook's signature (Stripe's, and Standard Webhooks' as Yoco sends it). Once
 * verified they are of no use to anyone, and a signature kept in a trace or a log is a forgery kit for
 * that body: they never leave the edge. `webhook-id` and `webhook-timestamp` are not secret.
 */
export const SIGNATURE_HEADERS = ["stripe-signature", "webhook-signature"] as const

/** True when these headers carry a webhook signature. */
export function hasSignatureHeader(headers: IncomingHttpHeaders): boolean {
  return SIGNATURE_HEADERS.some((name) => headers[name] !== undefined)
}

/** A copy of the headers without the signature headers. */
export function withoutSignatureHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy: IncomingHttpHeaders = { ...headers }
  for (const name of SIGNATURE_HEADERS) {
    delete copy[name]
  }
  return copy
}

/** Removes the signature headers from a request's headers, in place (once the edge has verified them). */
export function dropSignatureHeaders(headers: IncomingHttpHeaders): void {
  for (const name of SIGNATURE_HEADERS) {
    delete headers[name]
  }
}
