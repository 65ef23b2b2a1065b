import { createHash } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { errorMessage } from "../../lib/errors"
import type { PspPaymentView } from "../../lib/webhook-result"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import { parseInboxOptions } from "../../modules/payment-webhooks/options"
import type { OrderPaymentComparison } from "../../types/admin-api"
import { webhookSources } from "../edge/webhook-sources"
import { resolveInbox } from "./inbox"
import { PspReadCache } from "./psp-read-cache"

/** How long a PSP's answer stands in the admin: an order reloaded (or a loop over orders) within it asks the PSP nothing. */
export const ADMIN_PSP_READ_TTL_MS = 45_000

/** The admin's PSP reads running at once in one process; the others wait their turn (within the deadline). */
export const ADMIN_PSP_READ_CONCURRENCY = 4

/** Payments whose PSP view one process keeps; past it the oldest go. A few hundred KB at most. */
const ADMIN_PSP_READ_ENTRIES = 1000

/** The deadline without the plugin entry (its option's default). */
const DEFAULT_PSP_TIMEOUT_MS = parseInboxOptions({}).adminPspTimeoutMs

/** One per process: every admin request of the process shares its answers, calls and turns. */
const adminPspReads = new PspReadCache<PspPaymentView>({
  ttlMs: ADMIN_PSP_READ_TTL_MS,
  maxEntries: ADMIN_PSP_READ_ENTRIES,
  concurrency: ADMIN_PSP_READ_CONCURRENCY,
})

/** The PSP's view of a payment, or why there is none, and when the PSP gave it: the widget shows Medusa's side either way. */
export type PspViewResult = Pick<OrderPaymentComparison, "psp" | "psp_error" | "psp_read_at">

/** The payment the PSP is asked about: its id, its provider and the provider's data on it. */
export type PaymentToView = { id: string; provider_id: string; data: Record<string, unknown> | null }

/**
 * Asks the payment's provider what the PSP shows now, bounded: an answer given in the last
 * {@link ADMIN_PSP_READ_TTL_MS} is reused, concurrent requests for one payment share one call, a process
 * makes at most {@link ADMIN_PSP_READ_CONCURRENCY} calls at once, and a call past the plugin's
 * `adminPspTimeoutMs` is aborted. A failure (or a provider not of this plugin) is an error text, never a throw.
 */
export async function pspViewOf(container: MedusaContainer, payment: PaymentToView): Promise<PspViewResult> {
  const key = payment.provider_id.replace(/^pp_/, "")
  try {
    const source = (await webhookSources(container)).get(key)
    if (!source) {
      return {
        psp: null,
        psp_read_at: null,
        psp_error: `payment provider ${payment.provider_id} is not one of medusa-payment-webhooks' providers`,
      }
    }
    const data = payment.data ?? {}
    const read = await adminPspReads.read(`${key}:${payment.id}`, versionOf(data), deadlineMs(container), (signal) =>
      source.readPaymentView(data, { signal }),
    )
    return { psp: read.value, psp_read_at: new Date(read.readAt).toISOString() }
  } catch (error) {
    return { psp: null, psp_read_at: null, psp_error: errorMessage(error, 300) }
  }
}

/**
 * A fingerprint of the payment's provider data. Medusa rewrites it on its own captures and refunds,
 * and a provider may build part of its view from it (Yoco's confirmed refunds): a kept view of other
 * data would show a difference that is no longer there. Hashed, so no data is kept as a key.
 */
function versionOf(data: Record<string, unknown>): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("base64url")
}

/** The plugin entry's `adminPspTimeoutMs`, or its default when the store has no plugin entry. */
function deadlineMs(container: MedusaContainer): number {
  return container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)
    ? resolveInbox(container).inboxOptions.adminPspTimeoutMs
    : DEFAULT_PSP_TIMEOUT_MS
}
