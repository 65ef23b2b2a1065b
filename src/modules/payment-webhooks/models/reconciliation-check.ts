import { model } from "@medusajs/framework/utils"

/**
 * When reconciliation last asked a PSP about a payment session it found unpaid, and when it may ask
 * again: the wait doubles, so a session abandoned for days is not looked up every minute. Kept apart
 * from the deliveries, which are events the PSP sent.
 */
export const PaymentReconciliationCheck = model
  .define("payment_reconciliation_check", {
    id: model.id({ prefix: "pwhchk" }).primaryKey(),
    /** Provider key as in the route, e.g. `stripe_stripe`. */
    provider_id: model.text(),
    session_id: model.text(),
    /** How many times the PSP was asked. */
    checks: model.number().default(0),
    /** What the PSP answered last (its payment status, or the lookup's error). */
    last_result: model.text().nullable(),
    last_checked_at: model.dateTime().nullable(),
    next_check_at: model.dateTime(),
  })
  .indexes([
    { on: ["provider_id", "session_id"], unique: true },
    { on: ["next_check_at"] },
    // Retention drops checks of sessions no longer looked up (see retention.ts).
    { on: ["last_checked_at"] },
  ])
