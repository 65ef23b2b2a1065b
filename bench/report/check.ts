import type { BenchResults } from "./results"

/** One target of the bench, whether this run met it, and where not, the measured reason. */
export type TargetCheck = BenchResults["targets"][number]

/** A target's check; `reason` is asked for only when it is not met. */
export function check(name: string, value: number | null, target: string, pass: boolean, reason: () => string): TargetCheck {
  return pass ? { name, value, target, pass } : { name, value, target, pass, reason: reason() }
}

/** Rounds to 2 decimals, for the reasons' text. */
export const r2 = (value: number) => Math.round(value * 100) / 100
