import type { IncomingHttpHeaders } from "node:http"
import { PACKAGE_SIGNATURE_HEADERS } from "../../providers/catalog"

/** Headers that carry a webhook's signature, as this package's providers name them. `webhook-id` and `webhook-timestamp` are not secret. */
export const SIGNATURE_HEADERS = PACKAGE_SIGNATURE_HEADERS

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

/** True for the name of a signature header, in any case (raw header names keep the case the sender used). */
function isSignatureHeader(name: string): boolean {
  return SIGNATURE_HEADERS.includes(name.toLowerCase())
}

/** A copy of raw headers (`[name, value, name, value, …]`, as Node keeps them) without the signature headers. */
export function withoutSignatureRawHeaders(rawHeaders: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!isSignatureHeader(rawHeaders[i])) {
      kept.push(rawHeaders[i], rawHeaders[i + 1])
    }
  }
  return kept
}

/**
 * Removes the signature headers from a request, in place (once the edge has verified them): from
 * `headers` and from `rawHeaders`, the flat name/value list Node keeps as the sender wrote it, which
 * a logger or an error report may read as well. The array is emptied and refilled, so whoever holds it sees the change.
 */
export function dropSignatureHeaders(req: { headers: IncomingHttpHeaders; rawHeaders?: string[] }): void {
  for (const name of SIGNATURE_HEADERS) {
    delete req.headers[name]
  }
  if (Array.isArray(req.rawHeaders)) {
    const kept = withoutSignatureRawHeaders(req.rawHeaders)
    req.rawHeaders.splice(0, req.rawHeaders.length, ...kept)
  }
}
