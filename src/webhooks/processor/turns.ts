import pLimit, { type Limit } from "p-limit"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"

const limits = new WeakMap<PaymentWebhooksModuleService, Limit>()

/**
 * Runs `work` when one of this process's `concurrency` turns is free. A burst of deliveries then
 * reaches the database and the PSPs a few at a time, and the first orders appear at once instead of
 * after every workflow of the burst has started. One limit per inbox service, so one per app.
 */
export function inTurn<T>(inbox: PaymentWebhooksModuleService, work: () => Promise<T>): Promise<T> {
  let limit = limits.get(inbox)
  if (!limit) {
    limit = pLimit(inbox.inboxOptions.concurrency)
    limits.set(inbox, limit)
  }
  return limit(work)
}
