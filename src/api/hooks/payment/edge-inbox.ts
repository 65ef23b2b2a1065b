import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { isWebhookVerificationError } from "../../../lib/errors"
import { toRawBody } from "../../../lib/raw-body"
import type { MappedWebhookEvent } from "../../../lib/webhook-result"
import { InboxUnavailableError } from "../../../modules/payment-webhooks/service"
import { bodyHash } from "../../../webhooks/body-hash"
import { ignoreReason } from "../../../webhooks/dispatch"
import { inboxContext } from "../../../webhooks/inbox-access"

/** The PSP event id: Stripe's `evt_…` from the mapped event, else the Standard Webhooks `webhook-id` header. */
function eventIdOf(mapped: MappedWebhookEvent, headers: MedusaRequest["headers"]): string | undefined {
  if (mapped.event_id) {
    return mapped.event_id
  }
  const header = headers["webhook-id"]
  return typeof header === "string" ? header : undefined
}

/**
 * Runs before Medusa's `/hooks/payment/:provider` for this plugin's providers: verifies the
 * signature (400 if bad, nothing recorded), records the delivery (503 if it cannot, so the PSP
 * retries), answers duplicates and no-op events itself, and hands the rest to the built-in route.
 */
export async function paymentWebhookEdge(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  const providerKey = req.params.provider
  const context = inboxContext(req.scope)
  const provider = context?.providers.get(providerKey)
  if (!context || !provider) {
    return next()
  }
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  let mapped: MappedWebhookEvent
  let rawBody: Buffer
  try {
    rawBody = toRawBody(req.rawBody)
    mapped = await paymentModule.getWebhookActionAndData({
      provider: providerKey,
      payload: { data: (req.body ?? {}) as Record<string, unknown>, rawData: rawBody, headers: req.headers },
    })
  } catch (error) {
    if (isWebhookVerificationError(error)) {
      logger.warn(`Refused a ${providerKey} webhook: ${error.message}`)
      res.status(400).send(`Webhook rejected: ${error.message}`)
      return
    }
    // Not the sender's fault (e.g. the PSP could not be asked about its checkout): let it retry.
    logger.error(`Could not verify a ${providerKey} webhook: ${error instanceof Error ? error.message : String(error)}`)
    res.status(503).send("Webhook not processed: try again later")
    return
  }
  const eventId = eventIdOf(mapped, req.headers)
  if (!eventId) {
    res.status(400).send("Webhook rejected: the event carries no id")
    return
  }
  const reason = ignoreReason(mapped)
  if (!context.inbox.inboxOptions.enabled) {
    return reason ? void res.status(200).json({ received: true, ignored: reason }) : next()
  }
  try {
    const outcome = await context.inbox.recordDelivery({
      provider_id: providerKey,
      event_id: eventId,
      event_type: mapped.event_type ?? null,
      session_id: mapped.data?.session_id ?? null,
      action: mapped.action,
      amount: mapped.data ? Number(mapped.data.amount) : null,
      currency_code: mapped.currency_code ?? null,
      status: reason ? "ignored" : "received",
      source: "webhook",
      last_error: reason,
      body_hash: bodyHash(rawBody),
      details: null,
      raw_body: rawBody.toString("utf8"),
    })
    if (outcome.duplicate) {
      res.status(200).json({ received: true, duplicate: true })
      return
    }
  } catch (error) {
    const message = error instanceof InboxUnavailableError ? error.message : String(error)
    logger.error(`Could not record ${providerKey} event ${eventId}; answered 503 so the PSP retries: ${message}`)
    res.status(503).send("Webhook not recorded: try again later")
    return
  }
  if (reason) {
    res.status(200).json({ received: true, ignored: reason })
    return
  }
  next()
}
