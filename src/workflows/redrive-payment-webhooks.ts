import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { redrivePaymentWebhooks, type RedriveOptions, type RedriveSummary } from "../webhooks/redrive"
import { reconcilePendingSessions, type ReconcileSummary } from "../webhooks/reconcile"

/** Input of {@link redrivePaymentWebhooksWorkflow}: all optional. */
export type RedrivePaymentWebhooksInput = RedriveOptions & {
  /** Also look up pending sessions at the PSP (default true). */
  reconcile?: boolean
  /** Overrides `reconcileAfterSeconds` for this run. */
  reconcileAfterSeconds?: number
}

const redriveStep = createStep(
  "redrive-payment-webhooks",
  async (input: RedrivePaymentWebhooksInput, { container }) => {
    const redriven: RedriveSummary = await redrivePaymentWebhooks(container, input)
    let reconciled: ReconcileSummary | null = null
    if (input.reconcile !== false && !input.ids?.length) {
      // Reconciliation talks to the PSPs: its failure must never stop the re-drive above.
      reconciled = await reconcilePendingSessions(container, { olderThanSeconds: input.reconcileAfterSeconds }).catch((error: unknown) => {
        container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`Payment reconciliation failed: ${error instanceof Error ? error.message : String(error)}`)
        return null
      })
    }
    return new StepResponse({ reconciled, redriven })
  }
)

/**
 * Re-drives recorded payment webhooks that were not processed, and reconciles pending sessions
 * with the PSP. What the scheduled job runs; also callable on demand (e.g. from an admin route).
 */
export const redrivePaymentWebhooksWorkflow = createWorkflow(
  "redrive-payment-webhooks",
  (input: RedrivePaymentWebhooksInput) => new WorkflowResponse(redriveStep(input))
)
