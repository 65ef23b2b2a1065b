import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery } from "../../modules/payment-webhooks/types"
import type { ProcessResult } from "../processor/result"
import { recordAttempt } from "../telemetry/metrics"
import { alertDeliveryFailed } from "./delivery-failed"

/**
 * What follows every processing attempt that held a claim, whatever its end: the attempt is counted
 * (and timed from the delivery's receipt once its row is settled), and a delivery that ended `failed`
 * for the first time raises its alert. Hands the result back unchanged, and never throws: the row is settled already,
 * and the processor must not take a failure to report for a failure to process.
 */
export async function attemptEnded(
  container: MedusaContainer,
  claim: ClaimedDelivery,
  result: ProcessResult,
  payment?: MappedWebhookEvent,
): Promise<ProcessResult> {
  try {
    if (result.status !== "skipped") {
      recordAttempt(claim.provider_id, claim.event_type, result.status, new Date(claim.received_at))
    }
    // Only the first time the row ends failed: a replay that fails again (a person is looking at it) stays quiet.
    if (result.status === "failed" && !claim.failed_before) {
      await alertDeliveryFailed(container, claim, result.reason ?? "no reason recorded", payment)
    }
  } catch (error) {
    container
      .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .warn(`Could not report payment webhook ${claim.event_id}'s attempt: ${errorMessage(error)}`)
  }
  return result
}
