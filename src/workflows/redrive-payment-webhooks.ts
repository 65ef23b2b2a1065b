import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../lib/errors"
import { resumeStaleReplayRun } from "../webhooks/admin/background-replay"
import { recordJobRun } from "../webhooks/health/record-run"
import { processDueDeliveries, type DueSummary } from "../webhooks/processor/process-due"
import { applyRetention } from "../webhooks/processor/retention-pass"
import { reconcilePendingSessions, type ReconcileSummary } from "../webhooks/reconciliation/reconcile"

/** Input of {@link redrivePaymentWebhooksWorkflow}: all optional. */
export type RedrivePaymentWebhooksInput = {
  /** Overrides `redriveAfterSeconds` for this run. */
  olderThanSeconds?: number
  /** Also look up pending sessions at the PSP (default true). */
  reconcile?: boolean
  /** Overrides `reconcileAfterSeconds` for this run. */
  reconcileAfterSeconds?: number
}

const redriveStep = createStep("redrive-payment-webhooks", async (input: RedrivePaymentWebhooksInput, { container }) => {
  // The pass keeps the job's heartbeat, which the health check reads from any process.
  const summary = await recordJobRun(container, async () => {
    const redriven: DueSummary = await processDueDeliveries(container, { olderThanSeconds: input.olderThanSeconds })
    // Retention rides on the job: short statements, a few seconds per pass at most.
    const retention = await applyRetention(container)
    let reconciled: ReconcileSummary | null = null
    if (input.reconcile !== false) {
      // Reconciliation talks to the PSPs: its failure must never stop the pass above.
      reconciled = await reconcilePendingSessions(container, { olderThanSeconds: input.reconcileAfterSeconds }).catch((error: unknown) => {
        container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`Payment reconciliation failed: ${errorMessage(error)}`)
        return null
      })
    }
    // A bulk replay whose process died goes on here, in the background, from its cursor.
    const replays = await resumeStaleReplayRun(container).catch((error: unknown) => {
      container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`Resuming a bulk replay failed: ${errorMessage(error)}`)
      return { resumed: 0 }
    })
    return { redriven, retention, reconciled, replays }
  })
  return new StepResponse(summary)
})

/**
 * Takes up recorded payment webhooks that were not processed (through the one processor), reconciles
 * pending sessions with the PSP, and resumes a bulk replay whose process died. What the scheduled job
 * runs; also callable on demand.
 */
export const redrivePaymentWebhooksWorkflow = createWorkflow(
  "redrive-payment-webhooks",
  (input: RedrivePaymentWebhooksInput) => new WorkflowResponse(redriveStep(input)),
)
