import { metrics, type Counter, type Histogram, type MeterProvider } from "@opentelemetry/api"
import { packageVersion } from "./package-version"

/** The meter (instrumentation scope) every instrument of this plugin belongs to. */
export const METER_NAME = "medusa-payment-webhooks"

/** Names of the plugin's metrics; attributes are `provider`, `event_type` and `outcome`, never an id. */
export const MetricNames = {
  /** Counter: deliveries answered at the edge, by `outcome` recorded | duplicate | rejected | unavailable | error. */
  DELIVERIES: "payment_webhooks.deliveries",
  /** Histogram (ms): from the edge taking a delivery to its answer. */
  ACK_DURATION: "payment_webhooks.ack.duration",
  /** Histogram (ms): from a delivery's first receipt to its settled row, by `outcome` processed | ignored | failed. */
  TIME_TO_SETTLE: "payment_webhooks.time_to_settle",
  /** Counter: processing attempts, by `outcome` processed | ignored | failed | retrying | claim_lost. */
  ATTEMPTS: "payment_webhooks.attempts",
  /** Counter: attempts that failed, by `outcome` retrying (tried again later) | failed (for good). */
  FAILURES: "payment_webhooks.failures",
  /** Gauge: deliveries still `received` (not yet settled), as the job last saw them. */
  BACKLOG_SIZE: "payment_webhooks.backlog.size",
  /** Gauge (s): how long the longest-waiting due delivery has been due (backoff not counted, nobody's claim on it), as the job last saw it; 0 when none. */
  BACKLOG_OLDEST_AGE: "payment_webhooks.backlog.oldest_age",
  /** Counter: sessions looked up at their PSP by reconciliation, by `outcome` unpaid | paid | already_recorded | error. */
  RECONCILIATION_LOOKUPS: "payment_webhooks.reconciliation.lookups",
} as const

/** How the edge answered a delivery. */
export type EdgeOutcome = "recorded" | "duplicate" | "rejected" | "unavailable" | "error"

/** What one processing attempt ended as (the processor's result, `skipped` excepted). */
export type AttemptOutcome = "processed" | "ignored" | "failed" | "retrying" | "claim_lost"

/** What a reconciliation lookup found. */
export type LookupOutcome = "unpaid" | "paid" | "already_recorded" | "error"

/** The unprocessed deliveries, as the job's pass counted them. */
export type BacklogFigures = { count: number; oldestAgeSeconds: number }

type Instruments = {
  deliveries: Counter
  ackDuration: Histogram
  timeToSettle: Histogram
  attempts: Counter
  failures: Counter
  lookups: Counter
}

// Milliseconds: an answer takes a few; a settle takes seconds (the processing delay) to hours (backoffs).
const ACK_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000]
const SETTLE_BUCKETS_MS = [250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000]

let current: { provider: MeterProvider; instruments: Instruments } | undefined
let backlog: BacklogFigures | undefined

/**
 * The instruments on the global meter provider, made on first use and again whenever the provider
 * changes. `@opentelemetry/api` has no proxy for meters (only for tracers): an instrument taken from
 * the no-op provider stays a no-op after the store registers its SDK, so it is never cached past
 * that. Without a registered provider every record below is a no-op.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider()
  if (current?.provider === provider) {
    return current.instruments
  }
  const meter = provider.getMeter(METER_NAME, packageVersion())
  const made: Instruments = {
    deliveries: meter.createCounter(MetricNames.DELIVERIES, {
      description: "Payment webhook deliveries answered at the edge",
      unit: "{delivery}",
    }),
    ackDuration: meter.createHistogram(MetricNames.ACK_DURATION, {
      description: "Time from the edge taking a payment webhook delivery to its answer",
      unit: "ms",
      advice: { explicitBucketBoundaries: ACK_BUCKETS_MS },
    }),
    timeToSettle: meter.createHistogram(MetricNames.TIME_TO_SETTLE, {
      description: "Time from a payment webhook's first receipt to its settled row",
      unit: "ms",
      advice: { explicitBucketBoundaries: SETTLE_BUCKETS_MS },
    }),
    attempts: meter.createCounter(MetricNames.ATTEMPTS, { description: "Payment webhook processing attempts", unit: "{attempt}" }),
    failures: meter.createCounter(MetricNames.FAILURES, {
      description: "Payment webhook processing attempts that failed",
      unit: "{attempt}",
    }),
    lookups: meter.createCounter(MetricNames.RECONCILIATION_LOOKUPS, {
      description: "Payment sessions looked up at their PSP by reconciliation",
      unit: "{lookup}",
    }),
  }
  // The gauges read what the job's last pass counted: a scrape never queries the database. A process
  // that does not run the job (a server in a split deployment) reports no backlog rather than a stale 0.
  meter
    .createObservableGauge(MetricNames.BACKLOG_SIZE, { description: "Payment webhook deliveries not yet settled", unit: "{delivery}" })
    .addCallback((result) => void (backlog && result.observe(backlog.count)))
  meter
    .createObservableGauge(MetricNames.BACKLOG_OLDEST_AGE, {
      description: "How long the longest-waiting due payment webhook delivery has been due",
      unit: "s",
    })
    .addCallback((result) => void (backlog && result.observe(backlog.oldestAgeSeconds)))
  current = { provider, instruments: made }
  return made
}

/** A delivery the edge answered, and how long the answer took. */
export function recordEdgeAnswer(provider: string, eventType: string | undefined, outcome: EdgeOutcome, durationMs: number): void {
  const { deliveries, ackDuration } = instruments()
  // A refused delivery's type comes from a body nobody vouched for: never an attribute.
  const attributes = { provider, event_type: outcome === "rejected" || !eventType ? "unknown" : eventType, outcome }
  deliveries.add(1, attributes)
  ackDuration.record(durationMs, { provider, outcome })
}

/**
 * One processing attempt's end: counted, counted again as a failure when it failed, and, once the row
 * is settled, the time since the delivery was first received.
 */
export function recordAttempt(provider: string, eventType: string | null, outcome: AttemptOutcome, receivedAt: Date): void {
  const { attempts, failures, timeToSettle } = instruments()
  const attributes = { provider, event_type: eventType ?? "unknown", outcome }
  attempts.add(1, attributes)
  if (outcome === "failed" || outcome === "retrying") {
    failures.add(1, attributes)
  }
  if (outcome === "processed" || outcome === "ignored" || outcome === "failed") {
    timeToSettle.record(Math.max(Date.now() - receivedAt.getTime(), 0), attributes)
  }
}

/** What a reconciliation lookup at the PSP found. */
export function recordReconciliationLookup(provider: string, outcome: LookupOutcome): void {
  instruments().lookups.add(1, { provider, outcome })
}

/** The backlog the job's pass counted, for the gauges to report until the next pass. */
export function noteBacklog(figures: BacklogFigures): void {
  backlog = figures
  // Make sure the gauges exist even in a process whose only metric is the backlog (a worker with no deliveries yet).
  instruments()
}
