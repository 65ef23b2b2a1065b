import { z } from "zod"
import { parseProviderOptions } from "../../lib/options"

/** Options of the plugin entry `{ resolve: "medusa-payment-webhooks", options }` (all optional). */
export const inboxOptionsSchema = z.object({
  /**
   * Verify at the edge, record, deduplicate and process deliveries (default true). `false` hands
   * this package's deliveries to Medusa's own route, as without the plugin entry.
   */
  enabled: z.boolean().default(true),
  /**
   * How long after recording a delivery the processor takes it up, in ms (default 2000). The
   * storefront usually completes the cart itself right after the customer pays; this short wait
   * lets it do so first, so the webhook finds the order in place instead of queueing on the cart's lock.
   */
  processDelayMs: z.number().int().nonnegative().default(2000),
  /** Deliveries one process works on at once (default 4); the rest wait their turn in memory. */
  concurrency: z.number().int().positive().default(4),
  /**
   * How long a processor's claim on a delivery holds, in seconds (default 600): longer than any one
   * processing takes (PSP calls with retries, a cart completion), so two processes never work on one
   * delivery; a claim left by a crashed process frees the row once it runs out.
   */
  leaseSeconds: z.number().int().positive().default(600),
  /** Longest wait, in seconds, for another process working on the same payment session to finish (default 60). */
  lockTimeoutSeconds: z.number().int().positive().default(60),
  /** Age in seconds after which the job takes up a delivery still `received` (default 60). */
  redriveAfterSeconds: z.number().int().nonnegative().default(60),
  /** Attempts before an event is `failed` (default 8). */
  maxAttempts: z.number().int().positive().default(8),
  /** First backoff between attempts, in seconds; doubles each attempt, capped at one hour (default 30). */
  backoffSeconds: z.number().int().positive().default(30),
  /** Age in seconds after which a pending session is looked up at the PSP (default 600). */
  reconcileAfterSeconds: z.number().int().nonnegative().default(600),
  /** Sessions older than this, in seconds, are no longer reconciled (default 3 days, Stripe's retry window). */
  reconcileHorizonSeconds: z
    .number()
    .int()
    .positive()
    .default(3 * 24 * 3600),
  /** Longest wait for the delivery's insert before answering 503 so the PSP retries (ms, default 3000). */
  recordTimeoutMs: z.number().int().positive().default(3000),
  /**
   * Days a settled delivery keeps its raw body (default 30), so it can be replayed; the job drops
   * older ones in batches. The row itself, with what processing did, stays.
   */
  rawBodyRetentionDays: z.number().int().positive().default(30),
  /**
   * Days a settled delivery (`processed` or `ignored`) is kept at all (default 90); the job deletes
   * older ones in short batches. `failed` rows and rows that need attention are kept until a person
   * has dealt with them. `0` keeps every row.
   */
  retentionDays: z.number().int().nonnegative().default(90),
  /**
   * Age in seconds past which the oldest delivery still unprocessed raises `payment-webhooks.backlog_stale`
   * and an error line (default 900), at most once per this period. Checked by the job after each pass.
   */
  alertBacklogAgeSeconds: z.number().int().positive().default(900),
  /** Deliveries the job takes up per run and batch (default 50). */
  batchSize: z.number().int().positive().default(50),
  /**
   * Payment providers from other packages left to Medusa's own route, by id (`pp_stripe_stripe`) or
   * route key (`stripe_stripe`). Every other provider the payment module registers goes through the inbox.
   */
  exclude: z.array(z.string().min(1)).default([]),
  /**
   * How long the edge waits for a provider of another package to verify and map a delivery itself, in
   * ms (default 1500). Past it the delivery is recorded unverified and the processor verifies it.
   */
  foreignVerifyTimeoutMs: z.number().int().positive().default(1500),
  /**
   * Unverified deliveries a provider may have waiting at once (default 1000): past it, the edge answers
   * 503 rather than record more, so a flood of forgeries at a slow verifier cannot fill the table.
   */
  unverifiedLimit: z.number().int().positive().default(1000),
  /**
   * Longest wait for a PSP's view of a payment in the admin's order view, in ms (default 10000), the
   * wait for a free turn included (a process asks the PSPs for at most 4 payments at once). Past it
   * the PSP's request is aborted and the view shows Medusa's side with the reason.
   */
  adminPspTimeoutMs: z.number().int().positive().default(10_000),
})

/** Validated inbox options with defaults applied. */
export type InboxOptions = z.output<typeof inboxOptionsSchema>

/** Validates the plugin's options; a bad one fails the boot with its name. */
export function parseInboxOptions(input: unknown): InboxOptions {
  return parseProviderOptions(inboxOptionsSchema, input, "medusa-payment-webhooks plugin")
}
