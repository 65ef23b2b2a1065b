import type { Logger } from "@medusajs/framework/types"
import { errorMessage, isWebhookVerificationError } from "../../lib/errors"
import { toRawBody } from "../../lib/raw-body"
import type { WebhookSource } from "../../lib/webhook-result"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { recordEdgeAnswer, type EdgeOutcome } from "../telemetry/metrics"
import { bodyHash } from "./body-hash"
import { isRecord } from "../../lib/records"

/** One delivery as the HTTP layer hands it over. */
export type IncomingDelivery = { providerKey: string; rawBody: unknown; parsedBody: unknown; headers: Record<string, unknown> }

/** The answer to the PSP, and the new row when one was written (to be processed). */
export type EdgeAnswer = { status: 200 | 400 | 500 | 503; body: Record<string, unknown>; recordedId?: string; eventType?: string }

type EdgeDeps = { inbox: PaymentWebhooksModuleService; source: WebhookSource; logger: Logger }

/**
 * The terminal edge: verifies the signature on the raw bytes, names the event from the verified
 * body, records it in one insert, answers. 200 for a new or duplicate delivery; 400 for a bad,
 * missing or expired signature or a body that is not an event (nothing recorded); 503 only when the
 * record could not be written in time (the PSP retries). No PSP call, no other module, no mapping:
 * everything else is the processor's.
 */
export async function receiveDelivery(deps: EdgeDeps, delivery: IncomingDelivery): Promise<EdgeAnswer> {
  const started = performance.now()
  const answer = await answerDelivery(deps, delivery)
  recordEdgeAnswer(delivery.providerKey, answer.eventType, edgeOutcome(answer), performance.now() - started)
  return answer
}

/** The metric's name for an answer. */
function edgeOutcome(answer: EdgeAnswer): EdgeOutcome {
  switch (answer.status) {
    case 200:
      return answer.recordedId ? "recorded" : "duplicate"
    case 400:
      return "rejected"
    case 503:
      return "unavailable"
    default:
      return "error"
  }
}

async function answerDelivery(deps: EdgeDeps, delivery: IncomingDelivery): Promise<EdgeAnswer> {
  const { inbox, source, logger } = deps
  const { providerKey } = delivery
  let rawBody: Buffer
  let verified
  try {
    rawBody = toRawBody(delivery.rawBody)
    // The body Medusa parsed from these same bytes: a provider may use it rather than parse them again.
    const data = isRecord(delivery.parsedBody) ? delivery.parsedBody : {}
    verified = source.verifyWebhook({ data, rawData: rawBody, headers: delivery.headers })
  } catch (error) {
    if (isWebhookVerificationError(error)) {
      logger.warn(`Refused a ${providerKey} webhook (${error.reason}): ${error.message}`)
      return { status: 400, body: { received: false, reason: error.reason, message: `Webhook rejected: ${error.message}` } }
    }
    // Not the sender's doing (a provider misconfigured at runtime): a 5xx makes the PSP keep the event.
    logger.error(`Could not verify a ${providerKey} webhook: ${errorMessage(error)}`)
    return { status: 500, body: { received: false, message: "Webhook not verified: server error" } }
  }
  try {
    const recorded = await inbox.recordDelivery({
      provider_id: providerKey,
      event_id: verified.event_id,
      event_type: verified.event_type,
      source: "webhook",
      body_hash: bodyHash(rawBody),
      raw_body: rawBody.toString("utf8"),
    })
    if (recorded.duplicate) {
      return { status: 200, body: { received: true, duplicate: true }, eventType: verified.event_type }
    }
    return { status: 200, body: { received: true }, recordedId: recorded.id, eventType: verified.event_type }
  } catch (error) {
    logger.error(`Could not record ${providerKey} event ${verified.event_id}; answered 503 so the PSP retries: ${errorMessage(error)}`)
    return { status: 503, body: { received: false, message: "Webhook not recorded: try again later" } }
  }
}
