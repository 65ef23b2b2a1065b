import type { PaymentActions, WebhookActionData } from "@medusajs/framework/types"

/**
 * What a provider's `getWebhookActionAndData` returns: Medusa's `WebhookActionResult`, plus the
 * facts the inbox records (event id and type, currency) and, when nothing is to be done, why.
 */
export type MappedWebhookEvent = {
  /** The Medusa payment action. */
  action: PaymentActions
  /** Session and amount (major unit) for actions that concern a payment session. */
  data?: WebhookActionData
  /** The PSP's event id (Stripe `evt_…`, Yoco `webhook-id`). */
  event_id?: string
  /** The PSP's event type, e.g. `payment_intent.succeeded`. */
  event_type?: string
  /** ISO currency code of `data.amount`, lower-case. */
  currency_code?: string
  /** Why the event leads to no action (`not_supported`). */
  reason?: string
}
