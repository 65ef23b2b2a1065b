import { request as httpRequest, type IncomingHttpHeaders } from "node:http"
import { request as httpsRequest } from "node:https"

/** Headers Stripe's webhook sender puts on every delivery (besides `Stripe-Signature` and `Content-Length`). */
export const STRIPE_WEBHOOK_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "application/json; charset=utf-8",
  "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
  Accept: "*/*; q=0.5, application/xml",
  "Cache-Control": "no-cache",
}

/** What the endpoint answered to one delivery, and exactly what was sent (to re-deliver it later). */
export type WebhookDelivery = {
  url: string
  /** The event id, when the payload was an event. */
  eventId: string | null
  /** The exact body sent (Stripe pretty-prints events with two spaces). */
  payload: string
  /** The `Stripe-Signature` sent, or null when a test removed it. */
  signature: string | null
  status: number
  body: string
  headers: IncomingHttpHeaders
}

/**
 * Merges header sets case-insensitively; a later `null` removes a header (to test a missing signature).
 */
export function mergeHeaders(...sets: Array<Record<string, string | null> | undefined>): Record<string, string> {
  const merged = new Map<string, [string, string]>()
  for (const set of sets) {
    for (const [name, value] of Object.entries(set ?? {})) {
      if (value === null) {
        merged.delete(name.toLowerCase())
      } else {
        merged.set(name.toLowerCase(), [name, value])
      }
    }
  }
  return Object.fromEntries(merged.values())
}

/** POSTs `payload` with exactly `headers` (plus `Content-Length`) and collects the answer. */
export function postWebhook(
  url: string,
  payload: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const target = new URL(url)
  const send = target.protocol === "https:" ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(target, { method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(payload)) } }, (res) => {
      const chunks: Buffer[] = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("error", reject)
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }))
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`FakeStripe: webhook delivery to ${url} timed out after ${timeoutMs} ms`)))
    req.on("error", reject)
    req.end(payload)
  })
}
