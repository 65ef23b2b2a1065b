/**
 * `medusa exec <abs>/bench/store/job-pass.ts <in.json> <out.json>` in the bench store, beside its
 * server: runs the re-drive job's pass (`redrivePaymentWebhooksWorkflow`, taken from the installed
 * package, as the scheduled job runs it) `passes` times after one warm-up pass, timing each; then
 * times the inbox's own calls of a pass one by one (due deliveries, raw-body drop, prune,
 * reconciliation checks, forgeries, the health figures), as many times. Writes the times in ms.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import type { ExecArgs } from "@medusajs/framework/types"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { byPart, PASS_PARTS, type JobPassInput, type JobPassOutput, type PassPart } from "./pass-parts"

type Workflows = typeof import("../../src/workflows/redrive-payment-webhooks")

const since = (started: number) => Math.round((performance.now() - started) * 100) / 100

export default async function jobPass({ container, args }: ExecArgs): Promise<void> {
  const [inFile, outFile] = args
  const input = JSON.parse(readFileSync(inFile, "utf8")) as JobPassInput
  // The store project's copy of the package: the workflow the store's job runs, not the repository's sources.
  const fromStore = createRequire(join(process.cwd(), "package.json"))
  const workflows: Workflows = fromStore("medusa-payment-webhooks/workflows/redrive-payment-webhooks")
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const pass = async () => {
    const started = performance.now()
    await workflows.redrivePaymentWebhooksWorkflow(container).run({ input: {} })
    return since(started)
  }
  const calls: Record<PassPart, () => Promise<unknown>> = {
    dueDeliveryIds: () => inbox.dueDeliveryIds(),
    dropOldRawBodies: () => inbox.dropOldRawBodies(),
    pruneSettled: () => inbox.pruneSettled(),
    pruneReconciliationChecks: () => inbox.pruneReconciliationChecks(),
    pruneForgeries: () => inbox.pruneForgeries(),
    inboxFigures: () => inbox.inboxFigures(input.overdueAfterSeconds),
  }
  // The first pass of a fresh process warms its connections and code; the job's runs in a long-lived one.
  const firstPassMs = await pass()
  const passMs: number[] = []
  for (let index = 0; index < input.passes; index++) {
    passMs.push(await pass())
  }
  const partsMs = byPart((): number[] => [])
  for (let index = 0; index < input.passes; index++) {
    for (const part of PASS_PARTS) {
      const started = performance.now()
      await calls[part]()
      partsMs[part].push(since(started))
    }
  }
  const output: JobPassOutput = { passMs, partsMs, firstPassMs }
  writeFileSync(outFile, JSON.stringify(output))
}
