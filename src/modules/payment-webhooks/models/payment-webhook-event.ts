import { model } from "@medusajs/framework/utils"

/**
 * One delivery of a PSP event to this store, recorded before the PSP gets its 2xx.
 * Unique on (provider_id, event_id): a retried or duplicated delivery finds its row and is not processed again.
 */
export const PaymentWebhookEvent = model
  .define("payment_webhook_event", {
    id: model.id({ prefix: "pwhevt" }).primaryKey(),
    /** Provider key as in the route, e.g. `stripe_stripe` (the payment provider is `pp_` + this). */
    provider_id: model.text(),
    /** The PSP's event id: Stripe `evt_…`, Yoco `webhook-id`; `reconcile:<session>` for reconciliation. */
    event_id: model.text(),
    event_type: model.text().nullable(),
    session_id: model.text().nullable(),
    /** The Medusa payment action the event maps to. */
    action: model.text().nullable(),
    amount: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    status: model.enum(["received", "processed", "ignored", "failed"]).default("received"),
    /** How it reached the store: a `webhook` delivery, or `reconciliation` with the PSP. */
    source: model.enum(["webhook", "reconciliation"]).default("webhook"),
    attempts: model.number().default(0),
    /** How many times the PSP delivered this event (retries and duplicates included). */
    deliveries: model.number().default(1),
    last_error: model.text().nullable(),
    received_at: model.dateTime(),
    processed_at: model.dateTime().nullable(),
    /** When the re-drive job may look at it next (backoff; also a lease while a process works on it). */
    next_attempt_at: model.dateTime().nullable(),
    /** SHA-256 of the raw body, hex. */
    body_hash: model.text(),
    /** The facts the event carried beyond the action (ids, reasons); never card data. */
    details: model.json().nullable(),
    /** The raw body, kept only while re-drive may need it (see the `rawBodyRetention` option). */
    raw_body: model.text().nullable(),
  })
  .indexes([
    { on: ["provider_id", "event_id"], unique: true },
    { on: ["status", "next_attempt_at"] },
    { on: ["session_id"] },
  ])
