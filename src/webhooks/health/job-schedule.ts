/** The name of the job that re-drives deliveries, reconciles sessions and applies retention. */
export const REDRIVE_JOB_NAME = "payment-webhooks-redrive"

/** The job's default period, in ms. */
export const DEFAULT_JOB_INTERVAL_MS = 60_000

/**
 * The job's period on this process, in ms: `PAYMENT_WEBHOOKS_JOB_INTERVAL_MS`, else one minute. The
 * job's schedule and the health check both read it here, so "three periods" means the job's own.
 */
export function jobIntervalMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const configured = Number(env.PAYMENT_WEBHOOKS_JOB_INTERVAL_MS)
  return Number.isFinite(configured) && configured > 0 ? Math.round(configured) : DEFAULT_JOB_INTERVAL_MS
}

/** Periods without a finished pass after which the health check answers 503. */
export const STALE_AFTER_PERIODS = 3

/**
 * How long past due a delivery may wait before it counts as overdue: `redriveAfterSeconds` (the
 * subscriber's head start) and then a few of the job's periods. The health check and the backlog's
 * alert both use it, so they call the same rows late.
 */
export function overdueAfterSeconds(redriveAfterSeconds: number, intervalMs = jobIntervalMs()): number {
  return redriveAfterSeconds + (STALE_AFTER_PERIODS * intervalMs) / 1000
}
