import type { IncomingMessage } from "node:http"
import * as startCommand from "@medusajs/medusa/commands/start"
import { hasSignatureHeader, withoutSignatureHeaders, withoutSignatureRawHeaders } from "./signature-headers"

/** Medusa's hook around each HTTP request, set by its `instrumentHttpLayer()` (`registerOtel({ instrument: { http: true } })`). */
type RequestTracer = (handler: () => Promise<unknown>, req: IncomingMessage, ...rest: unknown[]) => Promise<unknown>

const wrapped = new WeakSet<RequestTracer>()

function isRequestTracer(value: unknown): value is RequestTracer {
  return typeof value === "function"
}

/**
 * Medusa's HTTP tracing opens each request's span with every request header as an attribute, before
 * any middleware runs, so the edge cannot take the signature out of `req.headers` in time. This wraps
 * that hook so the span is opened from a view of the request without the signature headers; the
 * request itself, and the edge's verification of it, are untouched. Medusa's hook takes the request
 * only to read its method, url and headers (the handler it runs keeps the real request). Does nothing
 * when the store has not turned Medusa's HTTP tracing on (it is registered from the store's
 * `instrumentation.ts`, before the plugin's routes load); safe to call more than once.
 */
export function keepSignaturesOutOfTraces(): void {
  const original: unknown = startCommand.traceRequestHandler
  if (!isRequestTracer(original) || wrapped.has(original)) {
    return
  }
  const tracer: RequestTracer = (handler, req, ...rest) =>
    original(handler, hasSignatureHeader(req.headers) ? redactedView(req) : req, ...rest)
  wrapped.add(tracer)
  // Medusa exposes this hook as a mutable export for exactly this purpose: its own instrumentation assigns it.
  Reflect.set(startCommand, "traceRequestHandler", tracer)
}

/** The request as the span sees it: the same request, its headers (parsed and raw) without the signatures. */
function redactedView(req: IncomingMessage): IncomingMessage {
  return Object.create(req, {
    headers: { value: withoutSignatureHeaders(req.headers), enumerable: true },
    rawHeaders: { value: withoutSignatureRawHeaders(req.rawHeaders ?? []), enumerable: true },
  })
}
