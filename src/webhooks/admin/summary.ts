import type { MedusaContainer } from "@medusajs/framework/types"
import { database } from "./inbox"

/** What the admin page shows at a glance: rows by status, how many need a person, the oldest unprocessed. */
export type PaymentWebhookSummary = {
  counts: { received: number; processed: number; ignored: number; failed: number }
  needs_attention: number
  oldest_unprocessed_at: string | null
}

type SummaryRow = { status: string; rows: number; attention: number; oldest: Date | string | null }

/** The inbox's counts in one grouped statement. */
export async function summarizePaymentWebhooks(container: MedusaContainer): Promise<PaymentWebhookSummary> {
  const { rows } = await database(container).raw(
    `SELECT status, count(*)::int AS rows, (count(*) FILTER (WHERE needs_attention))::int AS attention,
            min(received_at) FILTER (WHERE status = 'received') AS oldest
     FROM payment_webhook_event WHERE deleted_at IS NULL GROUP BY status`
  )
  const summary: PaymentWebhookSummary = { counts: { received: 0, processed: 0, ignored: 0, failed: 0 }, needs_attention: 0, oldest_unprocessed_at: null }
  for (const row of rows as SummaryRow[]) {
    if (row.status === "received" || row.status === "processed" || row.status === "ignored" || row.status === "failed") {
      summary.counts[row.status] = row.rows
    }
    summary.needs_attention += row.attention
    if (row.oldest) {
      summary.oldest_unprocessed_at = new Date(row.oldest).toISOString()
    }
  }
  return summary
}
