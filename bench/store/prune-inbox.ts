/**
 * `medusa exec <abs>/bench/store/prune-inbox.ts <in.json> <started-marker> <out.json>` in the bench
 * store, while its server takes deliveries: runs the inbox's retention prune
 * (`pruneSettled({ olderThanDays, batchSize, budgetMs })`) until a call prunes nothing, and writes
 * how long it took. Writes the marker once the container is up, so the load runs against the
 * prune and not against this process's boot.
 */
import { readFileSync, writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"

/** What the orchestrator asks for. */
export type PruneInput = { olderThanDays: number; batchSize: number; budgetMs: number; maxCalls: number }

/** What the prune did. */
export type PruneOutput = { rowsPruned: number; calls: number; seconds: number; lastResult: unknown }

type Pruner = { pruneSettled?: (input: { olderThanDays: number; batchSize: number; budgetMs: number }) => Promise<unknown> }

/** Rows one call pruned, whatever shape its answer has (a count, or an object holding one). */
function prunedCount(result: unknown): number {
  if (typeof result === "number") {
    return result
  }
  if (result && typeof result === "object") {
    for (const key of ["pruned", "deleted", "rows", "count", "removed"]) {
      const value = (result as Record<string, unknown>)[key]
      if (typeof value === "number") {
        return value
      }
    }
  }
  return 0
}

export default async function pruneInbox({ container, args }: ExecArgs): Promise<void> {
  const [inFile, markerFile, outFile] = args
  const input = JSON.parse(readFileSync(inFile, "utf8")) as PruneInput
  const inbox = container.resolve<Pruner>(PAYMENT_WEBHOOKS_MODULE)
  if (typeof inbox.pruneSettled !== "function") {
    throw new Error("The installed package's inbox has no pruneSettled()")
  }
  writeFileSync(markerFile, "started")
  const started = performance.now()
  let rowsPruned = 0
  let calls = 0
  let lastResult: unknown = null
  for (; calls < input.maxCalls;) {
    lastResult = await inbox.pruneSettled({ olderThanDays: input.olderThanDays, batchSize: input.batchSize, budgetMs: input.budgetMs })
    calls++
    const pruned = prunedCount(lastResult)
    rowsPruned += pruned
    if (pruned === 0) {
      break
    }
  }
  const output: PruneOutput = { rowsPruned, calls, seconds: Math.round((performance.now() - started) / 10) / 100, lastResult }
  writeFileSync(outFile, JSON.stringify(output))
}
