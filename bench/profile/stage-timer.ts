import { performance } from "node:perf_hooks"
import { median, round } from "../lib/stats"

/** One step of the hot path, run in the store's own container. `index` makes each call distinct. */
export type Stage = { name: string; run: (index: number) => Promise<unknown> }

/** A stage's cost: alone (µs per call, median of rounds) and with 32 calls in flight (calls/s). */
export type StageTiming = { name: string; usPerCallAlone: number; callsPerSecondAt32: number }

let counter = 0

/** Runs `calls` calls of `stage` one after another; returns µs per call. */
async function sequential(stage: Stage, calls: number): Promise<number> {
  const started = performance.now()
  for (let index = 0; index < calls; index++) {
    await stage.run(counter++)
  }
  return ((performance.now() - started) * 1000) / calls
}

/** Runs `calls` calls of `stage` with `inFlight` at a time; returns calls per second. */
async function concurrent(stage: Stage, calls: number, inFlight: number): Promise<number> {
  let left = calls
  const started = performance.now()
  const worker = async () => {
    while (left-- > 0) {
      await stage.run(counter++)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return (calls / (performance.now() - started)) * 1000
}

/** Times every stage: a warm-up, `rounds` sequential rounds (median), then one concurrent run. */
export async function timeStages(
  stages: readonly Stage[],
  options: { warmup?: number; rounds?: number; perRound?: number; concurrentCalls?: number } = {},
): Promise<StageTiming[]> {
  const timings: StageTiming[] = []
  for (const stage of stages) {
    await sequential(stage, options.warmup ?? 40)
    const rounds: number[] = []
    for (let round_ = 0; round_ < (options.rounds ?? 3); round_++) {
      rounds.push(await sequential(stage, options.perRound ?? 50))
    }
    const throughput = await concurrent(stage, options.concurrentCalls ?? 320, 32)
    timings.push({ name: stage.name, usPerCallAlone: round(median(rounds), 1), callsPerSecondAt32: round(throughput, 0) })
  }
  return timings
}
