import { container } from "@medusajs/framework"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../../lib/errors"
import { PAYMENT_WEBHOOKS_MODULE } from "../../../modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../../modules/payment-webhooks/service"
import { receiveDelivery } from "../../../webhooks/edge/receive-delivery"
import { announceServedProvidersAtStart, inboxSources, knownInboxSources } from "../../../webhooks/edge/webhook-sources"
import { announceRecordedDelivery } from "../../../webhooks/processor/announce"
import { dropSignatureHeaders } from "../../../webhooks/telemetry/secret-headers"
import { keepSecretsOutOfTraces } from "../../../webhooks/telemetry/trace-headers"

// Before the first request: Medusa's HTTP tracing, when on, would copy signatures and credentials into every span.
keepSecretsOutOfTraces()
// Once the store has started: one line naming the providers whose deliveries this edge takes.
announceServedProvidersAtStart(container)

/**
 * Medusa's `/hooks/payment/:provider`, answered here for every provider the inbox serves (see
 * `receiveDelivery`): this package's and those of other packages. Only a provider the store left to
 * Medusa (`exclude`), or one the payment module does not know, goes on to Medusa's own route untouched.
 */
export async function paymentWebhookEdge(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  if (!req.scope.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return next()
  }
  const inbox = req.scope.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  if (!inbox.inboxOptions.enabled) {
    return next()
  }
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  let source
  try {
    source = (knownInboxSources(req.scope) ?? (await inboxSources(req.scope))).get(req.params.provider)
  } catch (error) {
    logger.error(`Payment webhook edge not ready: ${errorMessage(error)}`)
    res.status(503).json({ received: false, message: "Webhook not recorded: try again later" })
    return
  }
  if (!source) {
    return next()
  }
  const answer = await receiveDelivery(
    { inbox, source, logger },
    { providerKey: req.params.provider, rawBody: req.rawBody, parsedBody: req.body, headers: req.headers },
  )
  // Verified or refused, the signature is spent: nothing after the edge (a logger, an error report) gets to see it.
  dropSignatureHeaders(req)
  res.status(answer.status).json(answer.body)
  if (answer.recordedId) {
    // After the answer: the row is committed, and should this announcement be lost the job takes the row up.
    announceRecordedDelivery(req.scope, inbox, answer.recordedId)
  }
}
