import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { isWebhookVerificationError } from "../../../lib/errors"
import { toRawBody } from "../../../lib/raw-body"
import type { MappedWebhookEvent } from "../../../lib/webhook-result"
import { InboxUnavailableError } from "../../../modules/payment-webhooks/service"
import type { InboxStatus } from "../../../modules/payment-webhooks/types"
import { guardAgainstSession, type GuardedEvent, type GuardVerdict } from "../../../webhooks/amount-guard"
import { bodyHash } from "../../../webhooks/body-hash"
import { routeOf } from "../../../webhooks/dispatch"
import { emitPluginEvent, PaymentWebhookEvents } from "../../../webhooks/effects/plugin-events"
import { inboxContext, type InboxContext } from "../../../webhooks/inbox-access"
import { providerInstance } from "../../../webhooks/provider-instances"

/** The PSP event id: Stripe's `evt_…` from the mapped event, else the Standard Webhooks `webhook-id` header. */
function eventIdOf(mapped: MappedWebhookEvent, headers: MedusaRequest["headers"]): string | undefined {
  if (mapped.event_id) {
    return mapped.event_id
  }
  const header = headers["webhook-id"]
  return typeof header === "string" ? header : undefined
}

/** How the edge settles a verified delivery: the status it is recorded with, and who carries it out. */
type Decision = { status: InboxStatus; reason: string | null; then: "core" | "plugin" | "answer"; mismatch?: boolean }

/** The first decision, from the event alone; an authorize/capture still has to pass the amount check. */
function decide(mapped: MappedWebhookEvent): { decision: Decision; guard?: GuardedEvent } {
  const route = routeOf(mapped)
  if (route.to === "ignore") {
    return { decision: { status: "ignored", reason: route.reason, then: "answer" } }
  }
  if (route.to === "plugin" || !mapped.data) {
    return { decision: { status: "received", reason: null, then: "plugin" } }
  }
  const guard = { session_id: mapped.data.session_id, amount: Number(mapped.data.amount), currency_code: mapped.currency_code ?? null, action: mapped.action }
  return { decision: { status: "received", reason: null, then: "core" }, guard }
}

/** The decision once the session has spoken: go on to Medusa's route, or end here as ignored or failed. */
function afterGuard(decision: Decision, verdict: GuardVerdict): Decision {
  return verdict.ok ? decision : { status: verdict.status, reason: verdict.reason, then: "answer", mismatch: verdict.status === "failed" }
}

/** Records the delivery (with its session read in the same statement); `duplicate` when its event is already in the inbox. */
async function record(context: InboxContext, providerKey: string, eventId: string, mapped: MappedWebhookEvent, decision: Decision, guard: GuardedEvent | undefined, rawBody: Buffer) {
  return context.inbox.recordDelivery({
    provider_id: providerKey,
    event_id: eventId,
    event_type: mapped.event_type ?? null,
    session_id: mapped.data?.session_id ?? null,
    action: mapped.action,
    amount: mapped.data ? Number(mapped.data.amount) : null,
    currency_code: mapped.currency_code ?? null,
    status: decision.status,
    source: "webhook",
    last_error: decision.reason,
    body_hash: bodyHash(rawBody),
    details: mapped.effect ? { effect: mapped.effect } : null,
    raw_body: rawBody.toString("utf8"),
    read_session: guard !== undefined,
  })
}

/**
 * Runs before Medusa's `/hooks/payment/:provider` for this plugin's providers: verifies the
 * signature (400 if bad, nothing recorded), records the delivery (503 if it cannot, so the PSP
 * retries), answers duplicates and events Medusa has nothing to do with itself, hands failures,
 * refunds and disputes to the plugin, and authorize/capture to the built-in route.
 */
export async function paymentWebhookEdge(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  const providerKey = req.params.provider
  const context = inboxContext(req.scope)
  const entry = context?.providers.get(providerKey)
  if (!context || !entry) {
    return next()
  }
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const provider = providerInstance(entry, logger)
  if (!provider) {
    return next()
  }
  let mapped: MappedWebhookEvent
  let rawBody: Buffer
  try {
    rawBody = toRawBody(req.rawBody)
    mapped = await provider.getWebhookActionAndData({
      data: (req.body ?? {}) as Record<string, unknown>,
      rawData: rawBody,
      headers: req.headers,
    })
  } catch (error) {
    if (isWebhookVerificationError(error)) {
      logger.warn(`Refused a ${providerKey} webhook: ${error.message}`)
      res.status(400).send(`Webhook rejected: ${error.message}`)
      return
    }
    // Not the sender's fault (the PSP could not be asked about its object): let it retry.
    logger.error(`Could not verify a ${providerKey} webhook: ${error instanceof Error ? error.message : String(error)}`)
    res.status(503).send("Webhook not processed: try again later")
    return
  }
  const eventId = eventIdOf(mapped, req.headers)
  if (!eventId) {
    res.status(400).send("Webhook rejected: the event carries no id")
    return
  }
  const planned = decide(mapped)
  const guard = planned.guard
  let decision = planned.decision
  try {
    if (context.inbox.inboxOptions.enabled) {
      const outcome = await record(context, providerKey, eventId, mapped, decision, guard, rawBody)
      if (outcome.duplicate) {
        res.status(200).json({ received: true, duplicate: true })
        return
      }
      if (guard) {
        const verdict = await guardAgainstSession(req.scope, context.inbox, guard, outcome.session)
        if (!verdict.ok) {
          // Recorded as received a moment ago; should this update not land, the re-drive runs the same check.
          await context.inbox.settle(outcome.id, verdict.status, verdict.reason)
        }
        decision = afterGuard(decision, verdict)
      }
      if (decision.then === "plugin") {
        await emitPluginEvent(req.scope, PaymentWebhookEvents.DELIVERY_RECORDED, { id: outcome.id })
      }
    } else if (guard) {
      decision = afterGuard(decision, await guardAgainstSession(req.scope, context.inbox, guard))
    }
  } catch (error) {
    const message = error instanceof InboxUnavailableError ? error.message : String(error)
    logger.error(`Could not record ${providerKey} event ${eventId}; answered 503 so the PSP retries: ${message}`)
    res.status(503).send("Webhook not recorded: try again later")
    return
  }
  if (decision.mismatch) {
    logger.warn(`${providerKey} event ${eventId} not processed: ${decision.reason}`)
    await emitPluginEvent(req.scope, PaymentWebhookEvents.AMOUNT_MISMATCH, {
      provider_id: providerKey, event_id: eventId, session_id: mapped.data?.session_id ?? null, reason: decision.reason,
    }).catch(() => undefined)
  }
  if (decision.then === "core") {
    return next()
  }
  res.status(200).json({ received: true, ...(decision.reason ? { [decision.status]: decision.reason } : {}) })
}
