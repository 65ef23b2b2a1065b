/** Latency summary of one load run, in milliseconds. */
export type LatencySummary = { p50: number; p95: number; p99: number; max: number; mean: number }

/** The value at percentile `p` (0–100) of an ascending array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) {
    return Number.NaN
  }
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

/** p50/p95/p99/max/mean of a list of latencies (ms). */
export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b)
  const sum = sorted.reduce((total, value) => total + value, 0)
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  }
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  )
}

/** `a / b`, rounded to 3 decimals (NaN when `b` is 0). */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : Math.round((a / b) * 1000) / 1000
}

/** Rounds to `digits` decimals, for the table and the JSON. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
