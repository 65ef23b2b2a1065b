import type { IncomingMessage } from "node:http"
import * as startCommand from "@medusajs/medusa/commands/start"
import { logger } from "@medusajs/framework/logger"
import { hasSecretHeader, withoutSecretHeaders, withoutSecretRawHeaders } from "./secret-headers"

/** Medusa's hook around each HTTP request, set by its `instrumentHttpLayer()` (`registerOtel({ instrument: { http: true } })`). */
type RequestTracer = (handler: () => Promise<unknown>, req: IncomingMessage, ...rest: unknown[]) => Promise<unknown>

const wrapped = new WeakSet<RequestTracer>()

function isRequestTracer(value: unknown): value is RequestTracer {
  return typeof value === "function"
}

/**
 * Medusa's HTTP tracing opens each request's span with every request header as an attribute, before
 * any middleware runs: signatures, the admin's `authorization`, cookies, Medusa's own `x-medusa-*`
 * headers. This wraps that hook so the span is opened from a view of the request without them (see
 * `isSecretHeader`); the request itself, and what the app does with it, are untouched. Medusa's hook
 * takes the request only to read its method, url and headers (the handler it runs keeps the real
 * request). Does nothing when the store has not turned Medusa's HTTP tracing on (it is registered from
 * the store's `instrumentation.ts`, before the plugin's routes load); safe to call more than once.
 * Should a later Medusa drop the hook's export, the boot logs an error rather than stay silent: its
 * tracing would then copy every header again.
 */
export function keepSecretsOutOfTraces(): void {
  if (!("traceRequestHandler" in startCommand)) {
    logger.error(
      "medusa-payment-webhooks: Medusa's `traceRequestHandler` export is gone, so request headers (signatures, authorization, cookies) " +
        "cannot be kept out of its HTTP traces; leave Medusa's HTTP tracing off until this plugin supports this Medusa version",
    )
    return
  }
  const original: unknown = startCommand.traceRequestHandler
  if (!isRequestTracer(original) || wrapped.has(original)) {
    return
  }
  const tracer: RequestTracer = (handler, req, ...rest) =>
    original(handler, hasSecretHeader(req.headers) ? redactedView(req) : req, ...rest)
  wrapped.add(tracer)
  // Medusa exposes this hook as a mutable export for exactly this purpose: its own instrumentation assigns it.
  Reflect.set(startCommand, "traceRequestHandler", tracer)
}

/** The request as the span sees it: the same request, its headers (parsed and raw) without the secrets. */
function redactedView(req: IncomingMessage): IncomingMessage {
  return Object.create(req, {
    headers: { value: withoutSecretHeaders(req.headers), enumerable: true },
    rawHeaders: { value: withoutSecretRawHeaders(req.rawHeaders ?? []), enumerable: true },
  })
}
