/**
 * A money problem an effect found that a person must act on (a refund that failed after Medusa booked
 * it, an authorization that expired before anyone captured it): the delivery is flagged and
 * `payment-webhooks.payment_needs_attention` carries the reason, the amount and `details`.
 */
export type AttentionReport = { reason: string; amount?: number; details?: Record<string, unknown> }

/**
 * How carrying out an event ended: `processed` (with what it did), `ignored` (with why), or `retry`
 * (not possible yet, e.g. a refund for a payment not recorded yet: tried again after a backoff);
 * `attention` when a person must act on what it found.
 */
export type EffectOutcome = {
  status: "processed" | "ignored" | "retry"
  reason?: string
  did?: Record<string, unknown>
  attention?: AttentionReport
}

/** What an effect knows of the delivery it carries out. */
export type EffectRun = {
  /** The delivery was never processed before: a replay (or a second delivery) of one that was tells the store nothing again. */
  firstProcessing: boolean
}
