import type { Logger } from "@medusajs/framework/types"
import { errorMessage, isWebhookVerificationError } from "../../lib/errors"
import { toRawBody } from "../../lib/raw-body"
import type { DeliveryRecordInput } from "../../modules/payment-webhooks/types"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { recordEdgeAnswer, type EdgeOutcome } from "../telemetry/metrics"
import { bodyHash } from "./body-hash"
import { foreignEventId, foreignEventType, headersForVerification, verifyForeign } from "./foreign-delivery"
import type { InboxSource } from "./webhook-sources"
import { isRecord } from "../../lib/records"
import { inSpan } from "../telemetry/spans"

/** One delivery as the HTTP layer hands it over. */
export type IncomingDelivery = { providerKey: string; rawBody: unknown; parsedBody: unknown; headers: Record<string, unknown> }

/** The answer to the PSP, and the new row when one was written (to be processed). */
export type EdgeAnswer = { status: 200 | 400 | 500 | 503; body: Record<string, unknown>; recordedId?: string; eventType?: string }

/** What the edge asks of the inbox: one insert, and for an unverified delivery how many of its provider's wait. */
export type EdgeInbox = Pick<PaymentWebhooksModuleService, "recordDelivery" | "unverifiedWaiting"> & {
  readonly inboxOptions: Pick<PaymentWebhooksModuleService["inboxOptions"], "foreignVerifyTimeoutMs" | "unverifiedLimit">
}

type EdgeDeps = { inbox: EdgeInbox; source: InboxSource; logger: Logger }

/**
 * The terminal edge: verifies the signature on the raw bytes, names the event from the verified
 * body, records it in one insert, answers. 200 for a new or duplicate delivery; 400 for a bad,
 * missing or expired signature or a body that is not an event (nothing recorded); 503 only when the
 * record could not be written in time (the PSP retries). No PSP call, no other module, no mapping:
 * everything else is the processor's.
 */
export async function receiveDelivery(deps: EdgeDeps, delivery: IncomingDelivery): Promise<EdgeAnswer> {
  const started = performance.now()
  const answer = await inSpan("edge", () => answerDelivery(deps, delivery))
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
  const { source, logger } = deps
  const { providerKey } = delivery
  let rawBody: Buffer
  let record: DeliveryRecordInput | EdgeAnswer
  try {
    rawBody = toRawBody(delivery.rawBody)
    // The body Medusa parsed from these same bytes: a provider may use it rather than parse them again.
    const payload = { data: isRecord(delivery.parsedBody) ? delivery.parsedBody : {}, rawData: rawBody, headers: delivery.headers }
    record = await inSpan("edge.verify", async () =>
      source.kind === "package" ? packageRecord(source, payload, rawBody, providerKey) : foreignRecord(deps, payload, rawBody, delivery),
    )
  } catch (error) {
    if (isWebhookVerificationError(error)) {
      logger.warn(`Refused a ${providerKey} webhook (${error.reason}): ${error.message}`)
      return { status: 400, body: { received: false, reason: error.reason, message: `Webhook rejected: ${error.message}` } }
    }
    // Not the sender's doing (a provider misconfigured at runtime): a 5xx makes the PSP keep the event.
    logger.error(`Could not verify a ${providerKey} webhook: ${errorMessage(error)}`)
    return { status: 500, body: { received: false, message: "Webhook not verified: server error" } }
  }
  return "status" in record ? record : recordDelivery(deps, record)
}

/** This package's provider verifies the signature and names the event; the row records it as it came. */
function packageRecord(
  source: Extract<InboxSource, { kind: "package" }>,
  payload: { data: Record<string, unknown>; rawData: Buffer; headers: Record<string, unknown> },
  rawBody: Buffer,
  providerKey: string,
): DeliveryRecordInput {
  const verified = source.source.verifyWebhook(payload)
  return {
    provider_id: providerKey,
    event_id: verified.event_id,
    event_type: verified.event_type,
    source: "webhook",
    body_hash: bodyHash(rawBody),
    raw_body: rawBody.toString("utf8"),
  }
}

/**
 * A provider of another package verifies and maps the delivery itself, within the edge's deadline:
 * mapped, the row records its action; refused, 400 and nothing recorded; too slow, the row records the
 * delivery unverified with the headers its verification needs (up to `unverifiedLimit` waiting per provider).
 */
async function foreignRecord(
  deps: EdgeDeps,
  payload: { data: Record<string, unknown>; rawData: Buffer; headers: Record<string, unknown> },
  rawBody: Buffer,
  delivery: IncomingDelivery,
): Promise<DeliveryRecordInput | EdgeAnswer> {
  const { inbox, source, logger } = deps
  if (source.kind !== "foreign") {
    throw new Error(`${delivery.providerKey} is not a provider of another package`)
  }
  const hash = bodyHash(rawBody)
  const body = parsedJson(payload.data, rawBody)
  const base = {
    provider_id: delivery.providerKey,
    event_id: foreignEventId(body, hash),
    source: "webhook" as const,
    body_hash: hash,
    raw_body: rawBody.toString("utf8"),
  }
  const verification = await verifyForeign(source.provider, payload, inbox.inboxOptions.foreignVerifyTimeoutMs)
  if (verification.kind === "refused") {
    logger.warn(`Refused a ${delivery.providerKey} webhook (its provider's verification): ${verification.reason}`)
    return { status: 400, body: { received: false, reason: "provider_refused", message: `Webhook rejected: ${verification.reason}` } }
  }
  if (verification.kind === "verified") {
    const { action, data } = verification.mapped
    const amount = data?.amount === undefined ? null : Number(data.amount)
    return {
      ...base,
      event_type: foreignEventType(body, action),
      action,
      session_id: data?.session_id ?? null,
      amount: amount !== null && Number.isFinite(amount) ? amount : null,
    }
  }
  const waiting = await inbox
    .unverifiedWaiting(delivery.providerKey, inbox.inboxOptions.unverifiedLimit)
    .catch(() => Number.POSITIVE_INFINITY)
  if (waiting >= inbox.inboxOptions.unverifiedLimit) {
    // At the limit, or the count could not be read: the PSP retries later rather than the table fill up.
    logger.warn(
      `${delivery.providerKey}: unverified deliveries could not be taken (${waiting} wait); answered 503 so its PSP retries later`,
    )
    return {
      status: 503,
      body: { received: false, message: "Webhook not recorded: too many deliveries wait for verification, try again later" },
    }
  }
  return { ...base, event_type: foreignEventType(body), verified: false, verify_headers: headersForVerification(delivery.headers) }
}

/** The body as the provider sees it: Medusa's parse of the request, else the raw bytes as JSON, else nothing. */
function parsedJson(parsed: Record<string, unknown>, rawBody: Buffer): unknown {
  if (Object.keys(parsed).length) {
    return parsed
  }
  try {
    return JSON.parse(rawBody.toString("utf8"))
  } catch {
    return undefined
  }
}

/** One insert: 200 for a new or duplicate delivery, 503 when it could not be written in time. */
async function recordDelivery(deps: EdgeDeps, record: DeliveryRecordInput): Promise<EdgeAnswer> {
  try {
    const recorded = await inSpan("edge.record", () => deps.inbox.recordDelivery(record))
    if (recorded.duplicate) {
      return { status: 200, body: { received: true, duplicate: true }, eventType: record.event_type ?? undefined }
    }
    return { status: 200, body: { received: true }, recordedId: recorded.id, eventType: record.event_type ?? undefined }
  } catch (error) {
    deps.logger.error(
      `Could not record ${record.provider_id} event ${record.event_id}; answered 503 so the PSP retries: ${errorMessage(error)}`,
    )
    return { status: 503, body: { received: false, message: "Webhook not recorded: try again later" } }
  }
}
