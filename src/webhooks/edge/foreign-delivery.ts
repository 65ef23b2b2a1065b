import type { ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { errorMessage } from "../../lib/errors"
import { isRecord } from "../../lib/records"

/** A payment provider from another package, as the inbox uses it: only Medusa's webhook entry point. */
export type ForeignProvider = {
  getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult>
}

/** What a provider of another package made of a delivery at the edge. */
export type ForeignVerification =
  /** It verified and mapped it: recorded with the action, answered 200. */
  | { kind: "verified"; mapped: WebhookActionResult }
  /** It refused it (a bad signature, a body it cannot read): 400, nothing recorded. */
  | { kind: "refused"; reason: string }
  /** It did not answer in time (it verifies over the network), or failed for another reason: recorded unverified, the processor verifies it. */
  | { kind: "late" }

/**
 * Asks a provider of another package to verify and map a delivery (its own `getWebhookActionAndData`,
 * the call Medusa's subscriber would make 5 s later), waiting at most `deadlineMs`. A provider that
 * answers after the deadline is left to finish on its own: its answer is dropped, and the processor
 * asks it again.
 */
export async function verifyForeign(
  provider: ForeignProvider,
  payload: ProviderWebhookPayload["payload"],
  deadlineMs: number,
): Promise<ForeignVerification> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<ForeignVerification>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "late" }), deadlineMs)
  })
  // A refusal is a 400; any other failure (its PSP unreachable, a bug) is no proof of a forgery: the
  // delivery is kept, unverified, for the processor to ask again.
  const asked = provider.getWebhookActionAndData(payload).then(
    (mapped): ForeignVerification => ({ kind: "verified", mapped }),
    (error: unknown): ForeignVerification =>
      isVerificationRefusal(error) ? { kind: "refused", reason: errorMessage(error, 300) } : { kind: "late" },
  )
  try {
    return await Promise.race([asked, late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Whether an error a provider threw while verifying means the delivery is not genuine (its signature,
 * its timestamp, its body), rather than that verifying could not be done now (the PSP unreachable). Only
 * the first ends a delivery `ignored`; the second is tried again. Read from the error, since providers
 * of other packages share no error type: by its name (`…SignatureVerificationError`) or its message.
 */
export function isVerificationRefusal(error: unknown): boolean {
  const name = error instanceof Error ? error.name : ""
  return (
    /signature|verif|syntaxerror/i.test(name) ||
    /signature|verif|tamper|timestamp|tolerance|malformed|unexpected token|not valid json|invalid (json|payload|body)/i.test(
      errorMessage(error),
    )
  )
}

/**
 * The id a delivery of another package's provider is deduplicated by: the PSP's own event id when the
 * body carries one (`id`, as Stripe's and most PSPs' events do), else the body's hash (the same bytes
 * delivered again are the same event).
 */
export function foreignEventId(body: unknown, bodyHash: string): string {
  const id = isRecord(body) ? body.id : undefined
  return typeof id === "string" && id.trim() !== "" && id.length <= 255 ? id : `sha256:${bodyHash}`
}

/** The event's type as its body names it (`type` or `event`), else the action its provider mapped it to. */
export function foreignEventType(body: unknown, action?: string): string | null {
  for (const key of ["type", "event", "event_type"]) {
    const value = isRecord(body) ? body[key] : undefined
    if (typeof value === "string" && value.trim() !== "" && value.length <= 255) {
      return value
    }
  }
  return action ?? null
}

/** Headers never kept with an unverified delivery: the caller's credentials, never the PSP's. */
const NEVER_KEPT = new Set(["authorization", "cookie", "proxy-authorization"])

/**
 * The request's headers as an unverified delivery keeps them for its later verification: each as one
 * string, the caller's credentials left out. Dropped as soon as the row settles.
 */
export function headersForVerification(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase()
    if (NEVER_KEPT.has(key) || key.startsWith("x-medusa-")) {
      continue
    }
    if (typeof value === "string") {
      kept[key] = value
    } else if (Array.isArray(value)) {
      kept[key] = value.filter((item): item is string => typeof item === "string").join(", ")
    }
  }
  return kept
}
