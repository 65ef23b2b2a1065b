import { model } from "@medusajs/framework/utils"

/**
 * A lock on one payment session's processing, held by one processor across every process on the
 * database. A row with an expiry rather than a PostgreSQL advisory lock: an advisory lock would keep
 * a pooled connection for as long as the work runs, and the work (Medusa's workflows) needs the
 * pool itself. A crashed holder's lock frees itself when it expires.
 */
export const PaymentWebhookLock = model.define("payment_webhook_lock", {
  /** What is locked, e.g. `session:payses_…`. */
  id: model.text().primaryKey(),
  /** The holder's random token: only the holder may release it. */
  holder: model.text(),
  expires_at: model.dateTime(),
})
