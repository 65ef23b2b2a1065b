import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { attemptEnded } from "../alerts/attempt-ended"
import { inboxSources } from "../edge/webhook-sources"
import { emitPluginEvent, PaymentWebhookEvents } from "../effects/plugin-events"
import { attemptDelivery } from "./attempt"
import { paymentTakenBy } from "./give-up"
import { reportNeedsAttention } from "./needs-attention"
import type { ProcessOptions, ProcessResult } from "./result"
import { runDelivery, type ProcessorPorts } from "./run-delivery"
import { inTurn } from "./turns"
import { inSpan } from "../telemetry/spans"

export type { ProcessOptions, ProcessResult } from "./result"

/** The processor's ports in a running store: its inbox, its providers, its event bus, its metrics. */
function portsOf(container: MedusaContainer): ProcessorPorts {
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const lock = { leaseSeconds: inbox.inboxOptions.leaseSeconds, waitSeconds: inbox.inboxOptions.lockTimeoutSeconds }
  const sourceOf = async (providerKey: string) => (await inboxSources(container)).get(providerKey)
  return {
    inbox: {
      inboxOptions: inbox.inboxOptions,
      claim: (id, options) => inSpan("claim", () => inbox.claim(id, options)),
      renewClaim: (claim) => inbox.renewClaim(claim),
      settle: (claim, verdict) => inSpan("settle", () => inbox.settle(claim, verdict)),
      retryLater: (claim, reason, learnt) => inSpan("retry_later", () => inbox.retryLater(claim, reason, learnt)),
    },
    logger,
    inTurn: (work) => inTurn(inbox, work),
    attempt: (claim) =>
      inSpan("attempt", async () => attemptDelivery({ container, source: await sourceOf(claim.provider_id), lock }, claim)),
    paymentTaken: (claim) => paymentTakenBy(container, claim),
    reportAttention: (claim, attention) => reportNeedsAttention(container, logger, claim, attention),
    reportAmountMismatch: (claim, mismatch) =>
      emitPluginEvent(container, PaymentWebhookEvents.AMOUNT_MISMATCH, {
        provider_id: claim.provider_id,
        event_id: claim.event_id,
        ...mismatch,
      }).catch(() => undefined),
    attemptEnded: (claim, result, payment) => inSpan("report", () => attemptEnded(container, claim, result, payment)),
  }
}

/**
 * The one processor: the only code that acts on a recorded delivery, whoever calls it (the subscriber
 * right after the record, the job for due rows, an admin's replay). See {@link runDelivery} for the
 * story of one row and {@link attemptDelivery} for one attempt. Every effect checks what the store
 * already holds first, so running it twice on one row never does anything twice.
 */
export async function processDelivery(container: MedusaContainer, id: string, options: ProcessOptions = {}): Promise<ProcessResult> {
  return inSpan("process", () => runDelivery(portsOf(container), id, options))
}
