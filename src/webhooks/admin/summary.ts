import type { MedusaContainer } from "@medusajs/framework/types"
import type { PaymentWebhookSummary } from "../../types/admin-api"
import { inboxSources } from "../edge/webhook-sources"
import { resolveInbox } from "./inbox"

/** What the admin page shows at a glance: rows by status, how many need a person, the oldest unprocessed, the providers served. */
export async function summarizePaymentWebhooks(container: MedusaContainer): Promise<PaymentWebhookSummary> {
  const summary = await resolveInbox(container).statusSummary()
  const providers = [...(await inboxSources(container)).keys()].sort()
  return {
    counts: summary.counts,
    needs_attention: summary.needs_attention,
    count_cap: summary.count_cap,
    oldest_unprocessed_at: summary.oldest_unprocessed_at && summary.oldest_unprocessed_at.toISOString(),
    providers,
  }
}
