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
    /** The PSP's event id: Stripe `evt_…`, Yoco `webhook-id`; `reconcile:<session>:<status>` for reconciliation. */
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
    /** When the job may look at it next (the backoff after a failed attempt). */
    next_attempt_at: model.dateTime().nullable(),
    /** The claim of the processor working on it now: only the holder may settle the row. */
    claim_token: model.text().nullable(),
    /** Until when that claim holds; past it, another processor may claim the row. */
    lease_until: model.dateTime().nullable(),
    /** What processing did (the order placed, the refund recorded…), set when it settled. */
    outcome: model.json().nullable(),
    /** SHA-256 of the raw body, hex. */
    body_hash: model.text(),
    /** The facts the event carried beyond the action (ids, reasons); never card data. */
    details: model.json().nullable(),
    /** The verified raw body: the processor maps the event from it; dropped after `rawBodyRetentionDays` once settled. */
    raw_body: model.text().nullable(),
    /** The PSP's own id of the payment the event is about (Stripe `pi_…`, Yoco `ch_…`), once processing learnt it. */
    psp_reference: model.text().nullable(),
    /** Paid at the PSP but no order can be made, or the amount does not match: a person must look. */
    needs_attention: model.boolean().default(false),
    /** What happened to the row, oldest first (claims, retries, verdicts, replays; the last 30), for the admin's timeline. */
    history: model.json().nullable(),
    /**
     * False for a delivery of a provider from another package whose own verification did not answer
     * within the edge's deadline: recorded as it came, verified by the processor before anything else.
     */
    verified: model.boolean().default(true),
    /** The request headers such a delivery's verification needs; dropped once the row settles. */
    verify_headers: model.json().nullable(),
  })
  .indexes([
    { on: ["provider_id", "event_id"], unique: true },
    { on: ["status", "next_attempt_at"] },
    { on: ["session_id"] },
    // Retention deletes settled rows by age (see retention.ts).
    {
      name: "IDX_payment_webhook_event_settled_processed_at",
      on: ["processed_at"],
      where: "status IN ('processed', 'ignored') AND deleted_at IS NULL",
    },
    { on: ["psp_reference"] },
  ])
