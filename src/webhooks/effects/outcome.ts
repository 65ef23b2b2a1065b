/**
 * How carrying out an event ended: `processed` (with what it did), `ignored` (with why), or `retry`
 * (not possible yet, e.g. a refund for a payment not recorded yet: tried again after a backoff).
 */
export type EffectOutcome = { status: "processed" | "ignored" | "retry"; reason?: string; did?: Record<string, unknown> }
