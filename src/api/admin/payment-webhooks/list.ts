import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../../modules/payment-webhooks/service"
import { sessionIdsOfOrder } from "../../../webhooks/order-sessions"
import type { ListPaymentWebhooksQuery } from "./query"

/**
 * The columns the admin API returns. Never `raw_body`: it may be large, and it is the PSP's payload,
 * which stays in the database for the processor only.
 */
export const PAYMENT_WEBHOOK_FIELDS = [
  "id", "provider_id", "event_id", "event_type", "session_id", "action", "amount", "currency_code", "status", "source",
  "attempts", "deliveries", "last_error", "received_at", "processed_at", "next_attempt_at", "body_hash", "details", "outcome",
] as const

type InboxEvent = Awaited<ReturnType<PaymentWebhooksModuleService["listPaymentWebhookEvents"]>>[number]

/** A recorded delivery as the admin API shows it. */
export type AdminPaymentWebhook = Pick<InboxEvent, (typeof PAYMENT_WEBHOOK_FIELDS)[number]>

/** Copies the shown fields only, so nothing else (the raw body above all) can slip into an answer. */
export function toAdminPaymentWebhook(event: InboxEvent): AdminPaymentWebhook {
  return {
    id: event.id, provider_id: event.provider_id, event_id: event.event_id, event_type: event.event_type,
    session_id: event.session_id, action: event.action, amount: event.amount, currency_code: event.currency_code,
    status: event.status, source: event.source, attempts: event.attempts, deliveries: event.deliveries, last_error: event.last_error,
    received_at: event.received_at, processed_at: event.processed_at, next_attempt_at: event.next_attempt_at,
    body_hash: event.body_hash, details: event.details, outcome: event.outcome,
  }
}

/** The inbox module, or a clear error when the plugin's module is not registered in this store. */
export function resolveInbox(container: MedusaContainer): PaymentWebhooksModuleService {
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The payment webhook inbox is not enabled: add the medusa-payment-webhooks plugin")
  }
  return container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
}

/** The inbox filter for a provider: a route key exactly, or every key of an identifier (`stripe` → `stripe_*`). */
function providerFilter(provider: string): string | { $like: string } {
  const key = provider.replace(/^pp_/, "")
  // `_` is a LIKE wildcard: escaped, so `stripe` never matches a provider named `stripeX_…`.
  return key.includes("_") ? key : { $like: `${key}\\_%` }
}

/** One page of recorded deliveries, newest first, and how many match in all. */
export async function listPaymentWebhooks(
  container: MedusaContainer,
  query: ListPaymentWebhooksQuery
): Promise<{ payment_webhooks: AdminPaymentWebhook[]; count: number }> {
  const filters: Record<string, unknown> = {}
  if (query.provider) {
    filters.provider_id = providerFilter(query.provider)
  }
  if (query.status) {
    filters.status = query.status
  }
  if (query.source) {
    filters.source = query.source
  }
  if (query.order_id) {
    const sessions = await sessionIdsOfOrder(container, query.order_id)
    const wanted = query.session_id ? sessions.filter((id) => id === query.session_id) : sessions
    if (!wanted.length) {
      return { payment_webhooks: [], count: 0 }
    }
    filters.session_id = wanted
  } else if (query.session_id) {
    filters.session_id = query.session_id
  }
  const [events, count] = await resolveInbox(container).listAndCountPaymentWebhookEvents(filters, {
    select: [...PAYMENT_WEBHOOK_FIELDS],
    take: query.limit,
    skip: query.offset,
    order: { received_at: "DESC", id: "DESC" },
  })
  return { payment_webhooks: events.map(toAdminPaymentWebhook), count }
}
