import { z } from "zod"
import { parseProviderOptions } from "../../lib/options"

/** Options of the plugin entry `{ resolve: "medusa-payment-webhooks", options }` (all optional). */
export const inboxOptionsSchema = z.object({
  /** Record, deduplicate and re-drive deliveries (default true). `false` leaves only edge verification. */
  enabled: z.boolean().default(true),
  /**
   * Route keys (`<identifier>_<id>`, e.g. `stripe_stripe`) handled by the inbox. Default: every provider
   * of this package registered in the payment module.
   */
  providers: z.array(z.string().min(1)).optional(),
  /** Age in seconds after which a delivery still `received` is checked and re-driven (default 60). */
  redriveAfterSeconds: z.number().int().nonnegative().default(60),
  /** Attempts of the re-drive before an event is `failed` (default 8). */
  maxAttempts: z.number().int().positive().default(8),
  /** First backoff between attempts, in seconds; doubles each attempt, capped at one hour (default 30). */
  backoffSeconds: z.number().int().positive().default(30),
  /** Age in seconds after which a pending session is looked up at the PSP (default 600). */
  reconcileAfterSeconds: z.number().int().nonnegative().default(600),
  /** Sessions older than this, in seconds, are no longer reconciled (default 3 days, Stripe's retry window). */
  reconcileHorizonSeconds: z.number().int().positive().default(3 * 24 * 3600),
  /** Longest wait for the delivery's insert before answering 503 so the PSP retries (ms, default 3000). */
  recordTimeoutMs: z.number().int().positive().default(3000),
  /** Keep the raw body `until_processed` (default), `always`, or `never`. */
  rawBodyRetention: z.enum(["until_processed", "always", "never"]).default("until_processed"),
  /** Events re-driven per job run (default 50). */
  batchSize: z.number().int().positive().default(50),
})

/** Validated inbox options with defaults applied. */
export type InboxOptions = z.output<typeof inboxOptionsSchema>

/** Validates the plugin's options; a bad one fails the boot with its name. */
export function parseInboxOptions(input: unknown): InboxOptions {
  return parseProviderOptions(inboxOptionsSchema, input, "medusa-payment-webhooks plugin")
}
