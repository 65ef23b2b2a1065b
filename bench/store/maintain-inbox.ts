/**
 * `medusa exec <abs>/bench/store/maintain-inbox.ts <in.json> <started-marker> <out.json>` in the bench
 * store, while its server takes deliveries: runs one of the inbox's retention methods
 * (`dropOldRawBodies({ olderThanDays })` or `pruneSettled({ olderThanDays })`, their batches paced by
 * the plugin's defaults, as the job runs them) call after call until one takes nothing, and writes
 * how long it took. Writes the marker once the container is up, so the load runs against the work
 * and not against this process's boot.
 */
import { readFileSync, writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"

/** The retention methods the benchmark times. */
export type RetentionMethod = "dropOldRawBodies" | "pruneSettled"

/** What the orchestrator asks for. */
export type MaintenanceInput = {
  method: RetentionMethod
  olderThanDays: number
  maxCalls: number
  /** Earlier runs only: the batch size they asked for, before the plugin's paced defaults. */
  batchSize?: number
}

/** What the calls did. */
export type MaintenanceOutput = { rows: number; calls: number; seconds: number }

type Retention = Partial<Record<RetentionMethod, (input: { olderThanDays: number }) => Promise<unknown>>>

/** Rows one call took, whatever shape its answer has (a count, or an object holding one). */
function rowsOf(result: unknown): number {
  if (typeof result === "number") {
    return result
  }
  if (result && typeof result === "object") {
    for (const [key, value] of Object.entries(result)) {
      if (["pruned", "deleted", "dropped", "rows", "count"].includes(key) && typeof value === "number") {
        return value
      }
    }
  }
  return 0
}

export default async function maintainInbox({ container, args }: ExecArgs): Promise<void> {
  const [inFile, markerFile, outFile] = args
  const input = JSON.parse(readFileSync(inFile, "utf8")) as MaintenanceInput
  const inbox = container.resolve<Retention>(PAYMENT_WEBHOOKS_MODULE)
  const method = inbox[input.method]
  if (typeof method !== "function") {
    throw new Error(`The installed package's inbox has no ${input.method}()`)
  }
  writeFileSync(markerFile, "started")
  const started = performance.now()
  let rows = 0
  let calls = 0
  while (calls < input.maxCalls) {
    // Only the age: batch size, budget and rest are the plugin's defaults, what a store's job gets.
    const taken = rowsOf(await method.call(inbox, { olderThanDays: input.olderThanDays }))
    calls++
    rows += taken
    if (taken === 0) {
      break
    }
  }
  const output: MaintenanceOutput = { rows, calls, seconds: Math.round((performance.now() - started) / 10) / 100 }
  writeFileSync(outFile, JSON.stringify(output))
}
