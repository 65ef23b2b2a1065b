import { performance } from "node:perf_hooks"
import { median } from "../lib/stats"

/** One function under test; it returns something so the work cannot be optimised away. */
export type Contender = { name: string; run: () => unknown }

/** Median µs per call of each contender. */
export type Timing = { name: string; usPerOp: number; rounds: number[] }

let sink = 0

function consume(value: unknown): void {
  sink = (sink + (typeof value === "string" ? value.length : value ? 1 : 0)) | 0
}

/** Calls `run` `times` times; returns the elapsed milliseconds. */
function timeCalls(run: () => unknown, times: number): number {
  const started = performance.now()
  for (let index = 0; index < times; index++) {
    consume(run())
  }
  return performance.now() - started
}

/**
 * Warms every contender up, then runs `rounds` rounds; in each round every contender (in turn, so
 * drift hits all alike) makes enough calls to last about `roundMs`. Returns the median µs per call.
 */
export function timeContenders(
  contenders: readonly Contender[],
  options: { rounds?: number; roundMs?: number; warmupMs?: number } = {},
): Timing[] {
  const rounds = options.rounds ?? 7
  const roundMs = options.roundMs ?? 20
  const warmupMs = options.warmupMs ?? 60
  const calls = contenders.map((contender) => {
    let times = 16
    let elapsed = 0
    // Warm-up doubles the batch until it lasts the warm-up time (JIT settles), bounded to 24 doublings.
    for (let step = 0; step < 24 && elapsed < warmupMs; step++) {
      elapsed = timeCalls(contender.run, times)
      if (elapsed < warmupMs) {
        times *= 2
      }
    }
    return Math.max(1, Math.round((times * roundMs) / Math.max(elapsed, 0.001)))
  })
  const samples: number[][] = contenders.map(() => [])
  for (let round = 0; round < rounds; round++) {
    contenders.forEach((contender, index) => {
      samples[index].push((timeCalls(contender.run, calls[index]) * 1000) / calls[index])
    })
  }
  if (sink === 42.5) {
    console.log("unreachable")
  }
  return contenders.map((contender, index) => ({ name: contender.name, usPerOp: median(samples[index]), rounds: samples[index] }))
}
