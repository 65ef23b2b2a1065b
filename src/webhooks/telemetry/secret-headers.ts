import type { IncomingHttpHeaders } from "node:http"
import { PACKAGE_SIGNATURE_HEADERS } from "../../providers/catalog"

/**
 * Headers that must never reach a trace or a log: webhook signatures (this package's providers name
 * theirs; other packages' are caught by name), and the caller's credentials (`authorization`, cookies,
 * Medusa's own `x-medusa-*` headers, anything named a secret, key or token). A signature kept beside its
 * body is a forgery kit for that body; a credential is the store's admin. `webhook-id` and
 * `webhook-timestamp` are not secret.
 */
export function isSecretHeader(name: string): boolean {
  const key = name.toLowerCase()
  return (
    PACKAGE_SIGNATURE_HEADERS.includes(key) ||
    key === "authorization" ||
    key === "proxy-authorization" ||
    key === "cookie" ||
    key === "set-cookie" ||
    key.startsWith("x-medusa-") ||
    /signature|secret|api-?key|token/.test(key)
  )
}

/** True when these headers carry anything {@link isSecretHeader} names. */
export function hasSecretHeader(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some(isSecretHeader)
}

/** A copy of the headers without the secret ones. */
export function withoutSecretHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isSecretHeader(name)))
}

/** A copy of raw headers (`[name, value, name, value, …]`, as Node keeps them, names in the sender's case) without the secret ones. */
export function withoutSecretRawHeaders(rawHeaders: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!isSecretHeader(rawHeaders[i])) {
      kept.push(rawHeaders[i], rawHeaders[i + 1])
    }
  }
  return kept
}

/**
 * Removes the signature headers from a request, in place, once the edge has verified them: from
 * `headers` and from `rawHeaders`, the flat name/value list Node keeps as the sender wrote it, which
 * a logger or an error report may read as well. The array is emptied and refilled, so whoever holds
 * it sees the change. (Credentials stay: Medusa's own middlewares after the edge may read them.)
 */
export function dropSignatureHeaders(req: { headers: IncomingHttpHeaders; rawHeaders?: string[] }): void {
  const isSignature = (name: string) => isSecretHeader(name) && /signature/i.test(name)
  for (const name of Object.keys(req.headers)) {
    if (isSignature(name)) {
      delete req.headers[name]
    }
  }
  if (Array.isArray(req.rawHeaders)) {
    const kept: string[] = []
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (!isSignature(req.rawHeaders[i])) {
        kept.push(req.rawHeaders[i], req.rawHeaders[i + 1])
      }
    }
    req.rawHeaders.splice(0, req.rawHeaders.length, ...kept)
  }
}
