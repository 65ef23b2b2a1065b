import type {
  BulkReplayRequest,
  BulkReplayResult,
  BulkReplayRunAnswer,
  OrderPaymentWebhooks,
  PaymentWebhookDetail,
  PaymentWebhookList,
  PaymentWebhookListQuery,
  PaymentWebhookReplay,
  PaymentWebhookSettled,
  PaymentWebhookSummary,
} from "../../types/admin-api"
import { sdk } from "./sdk"

const BASE = "/admin/payment-webhooks"

/**
 * The list's filters, as the page's URL search params hold them: the API's query, but `status` as the
 * URL gives it (a status the API does not know is its 400 to answer, shown on the page).
 */
export type PaymentWebhookFilters = Omit<PaymentWebhookListQuery, "status"> & { status?: string; limit: number; offset: number }

/** Drops empty filters, so the API never sees `status=` (its zod schema would refuse it). */
function compact(filters: PaymentWebhookFilters): Record<string, string | number | boolean> {
  const query: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "" && value !== false) {
      query[key] = value
    }
  }
  return query
}

/** The typed calls the page and the widget make to the plugin's admin routes. */
export const paymentWebhooksApi = {
  list: (filters: PaymentWebhookFilters) => sdk.client.fetch<PaymentWebhookList>(BASE, { query: compact(filters) }),
  summary: () => sdk.client.fetch<PaymentWebhookSummary>(`${BASE}/summary`),
  detail: (id: string) => sdk.client.fetch<PaymentWebhookDetail>(`${BASE}/${encodeURIComponent(id)}`),
  replay: (id: string) => sdk.client.fetch<PaymentWebhookReplay>(`${BASE}/${encodeURIComponent(id)}/replay`, { method: "POST" }),
  settle: (id: string, note: string) =>
    sdk.client.fetch<PaymentWebhookSettled>(`${BASE}/${encodeURIComponent(id)}/settle`, { method: "POST", body: { note } }),
  bulkReplay: (body: BulkReplayRequest) => sdk.client.fetch<BulkReplayResult>(`${BASE}/replay`, { method: "POST", body }),
  replayRun: (runId: string) => sdk.client.fetch<BulkReplayRunAnswer>(`${BASE}/replay/${encodeURIComponent(runId)}`),
  cancelReplayRun: (runId: string) =>
    sdk.client.fetch<BulkReplayRunAnswer>(`${BASE}/replay/${encodeURIComponent(runId)}/cancel`, { method: "POST" }),
  ofOrder: (orderId: string) => sdk.client.fetch<OrderPaymentWebhooks>(`${BASE}/orders/${encodeURIComponent(orderId)}`),
}

/** React Query keys: every key starts with the same root, so one invalidation refreshes the page and the widget. */
export const paymentWebhookKeys = {
  all: ["payment-webhooks"] as const,
  list: (filters: PaymentWebhookFilters) => ["payment-webhooks", "list", filters] as const,
  summary: () => ["payment-webhooks", "summary"] as const,
  detail: (id: string) => ["payment-webhooks", "detail", id] as const,
  order: (orderId: string) => ["payment-webhooks", "order", orderId] as const,
  replayRun: (runId: string) => ["payment-webhooks", "replay-run", runId] as const,
}
