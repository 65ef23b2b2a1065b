import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type { ReplayRunClaim } from "../../modules/payment-webhooks/replay-runs"
import { processDelivery } from "../processor/process-delivery"
import { providerFilter, resolveInbox } from "./inbox"
import { driveReplayRun, REPLAY_STALE_SECONDS, type ReplayRunPorts } from "./replay-run"

/** The ports of a run in a running store: its rows by its filter, the inbox, and the processor outside the live turns. */
function replayRunPorts(container: MedusaContainer, claim: ReplayRunClaim): ReplayRunPorts {
  const inbox = resolveInbox(container)
  const { run } = claim
  const providerId = run.filter_provider === null ? undefined : providerFilter(run.filter_provider)
  return {
    candidates: async (after) => {
      const query = {
        status: run.filter_status,
        since: run.filter_since,
        until: run.filter_until,
        providerId,
        after,
        limit: run.batch_size,
      }
      return (await inbox.replayCandidates(query)).rows
    },
    inbox,
    runs: inbox.replayRuns,
    process: (id) => processDelivery(container, id, { evenIfBackingOff: true, outsideLiveTurns: true }),
    logger: container.resolve<Logger>(ContainerRegistrationKeys.LOGGER),
  }
}

/**
 * Drives a held run in this process, in the background: the caller (a request, the job) does not wait
 * for it. The run's row is the truth of its progress, read back through the admin API.
 */
export function startDriving(container: MedusaContainer, claim: ReplayRunClaim): void {
  void driveReplayRun(replayRunPorts(container, claim), claim)
}

/**
 * The job's part: takes over a running run whose process went silent for {@link REPLAY_STALE_SECONDS}
 * (it died or was stopped) and drives it on in this process from its cursor. Answers how many it resumed.
 */
export async function resumeStaleReplayRun(container: MedusaContainer): Promise<{ resumed: number }> {
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return { resumed: 0 }
  }
  const claim = await resolveInbox(container).replayRuns.claimStale(REPLAY_STALE_SECONDS)
  if (!claim) {
    return { resumed: 0 }
  }
  container
    .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    .info(`Bulk replay ${claim.run.id} went silent: resumed here after ${claim.run.cursor ?? "its first row"}`)
  startDriving(container, claim)
  return { resumed: 1 }
}
