import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/** Events this plugin emits, for stores to notify or act from (subscribe to them like Medusa's own). */
export const PaymentWebhookEvents = {
  PAYMENT_FAILED: "payment-webhooks.payment_failed",
  PAYMENT_CANCELED: "payment-webhooks.payment_canceled",
  REFUND_RECORDED: "payment-webhooks.refund_recorded",
  REFUND_FAILED: "payment-webhooks.refund_failed",
  DISPUTE_OPENED: "payment-webhooks.dispute_opened",
  DISPUTE_CLOSED: "payment-webhooks.dispute_closed",
  AMOUNT_MISMATCH: "payment-webhooks.amount_mismatch",
  /**
   * A payment the PSP took (authorized or captured) that the store cannot turn into an order: its
   * session was deleted, or its amount or currency is wrong. Data: provider_id, event_id, session_id,
   * psp_reference, amount, currency_code, reason. Subscribe to alert a person or refund.
   */
  PAYMENT_NEEDS_ATTENTION: "payment-webhooks.payment_needs_attention",
  /**
   * A delivery ended `failed`: the plugin will not try it again by itself (replay it once the cause is
   * fixed). Data: delivery_id, provider_id, event_id, event_type, session_id, psp_reference, attempts, reason.
   */
  DELIVERY_FAILED: "payment-webhooks.delivery_failed",
  /**
   * The oldest delivery not yet processed is older than `alertBacklogAgeSeconds`: the job is not running,
   * or cannot keep up. Data: count, oldest_age_seconds, oldest_id, oldest_provider_id, threshold_seconds.
   */
  BACKLOG_STALE: "payment-webhooks.backlog_stale",
  /** Internal: a delivery was recorded and waits for the plugin to carry it out. */
  DELIVERY_RECORDED: "payment-webhooks.delivery_recorded",
} as const

/** Emits one plugin event on the store's event bus. */
export async function emitPluginEvent(container: MedusaContainer, name: string, data: Record<string, unknown>): Promise<void> {
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  await eventBus.emit({ name, data })
}
