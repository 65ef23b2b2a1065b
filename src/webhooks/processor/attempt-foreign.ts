import type { ILockingModule, MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentActions } from "@medusajs/framework/utils"
import { minorUnitsOf } from "../../lib/amounts"
import { errorMessage } from "../../lib/errors"
import { isRecord } from "../../lib/records"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import type { ClaimedDelivery, DeliveryFacts, DeliveryVerdict } from "../../modules/payment-webhooks/types"
import { isVerificationRefusal, type ForeignProvider } from "../edge/foreign-delivery"
import { carryOutPayment } from "./carry-out-payment"
import { readPaymentState } from "./read-payment-context"
import { AttemptFailed, type Decision } from "./result"
import { exclusively, type LockTiming } from "./session-lock"

/** How long the processor lets a slow provider verify a delivery the edge could not wait for. */
const VERIFY_TIMEOUT_MS = 30_000

const settle = (verdict: DeliveryVerdict, more: Omit<Decision, "verdict"> = {}): Decision => ({ verdict, ...more })

/** What the row recorded of the event when its provider mapped it at the edge. */
function mappedAtEdge(claim: ClaimedDelivery): MappedWebhookEvent {
  return {
    action: Object.values(PaymentActions).find((action) => action === claim.action) ?? PaymentActions.NOT_SUPPORTED,
    ...(claim.session_id ? { data: { session_id: claim.session_id, amount: claim.amount ?? 0 } } : {}),
  }
}

/** The stored delivery as its provider's verification reads it: the parsed body, the raw bytes, the kept headers. */
function payloadOf(claim: ClaimedDelivery) {
  const raw = claim.raw_body ?? ""
  let data: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(raw)
    data = isRecord(parsed) ? parsed : {}
  } catch {
    // Not JSON: the provider reads the raw bytes.
  }
  return { data, rawData: Buffer.from(raw, "utf8"), headers: claim.verify_headers ?? {} }
}

/** Asks the provider to verify and map a delivery recorded unverified; a refusal ends it as a forgery. */
async function verifyLater(provider: ForeignProvider, claim: ClaimedDelivery): Promise<MappedWebhookEvent | Decision> {
  if (claim.raw_body === null) {
    return settle({ status: "ignored", reason: "the delivery's raw body is no longer kept, so it cannot be verified", forged: true })
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`its provider did not verify it within ${VERIFY_TIMEOUT_MS} ms`)), VERIFY_TIMEOUT_MS)
    })
    const mapped = await Promise.race([provider.getWebhookActionAndData(payloadOf(claim)), deadline])
    return { action: mapped.action, ...(mapped.data ? { data: mapped.data } : {}) }
  } catch (error) {
    if (isVerificationRefusal(error)) {
      // A forgery, or a delivery too old for its signature now: never alerted on, its body dropped, the row pruned in a day.
      return settle({ status: "ignored", reason: `signature: ${errorMessage(error, 300)}`, forged: true })
    }
    throw new AttemptFailed(`verifying it failed: ${errorMessage(error)}`)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * One attempt at a delivery of a provider from another package. Its provider's own verification and
 * mapping are the truth (made at the edge, or now when the edge could not wait); then, as Medusa's own
 * subscriber would, an authorization or capture for one of the store's sessions of that provider runs
 * `processPaymentWorkflow`, under the session's lock, once. What only this package's providers can check
 * (the PSP's current state, the amount against the session, refunds, disputes) is not checked here.
 */
export async function attemptForeignDelivery(
  container: MedusaContainer,
  provider: ForeignProvider,
  lock: LockTiming,
  claim: ClaimedDelivery,
): Promise<Decision> {
  let mapped = mappedAtEdge(claim)
  let verifiedNow = false
  if (!claim.verified) {
    const verified = await verifyLater(provider, claim)
    if ("verdict" in verified) {
      return verified
    }
    mapped = verified
    verifiedNow = true
  }
  const sessionId = mapped.data?.session_id
  const amount = Number(mapped.data?.amount)
  const facts: DeliveryFacts = {
    action: mapped.action,
    session_id: sessionId ?? null,
    amount: Number.isFinite(amount) ? amount : null,
    ...(verifiedNow ? { verified: true } : {}),
  }
  const action = mapped.action === PaymentActions.AUTHORIZED || mapped.action === PaymentActions.SUCCESSFUL ? mapped.action : undefined
  if (!action || !sessionId || !(amount > 0)) {
    const why = !action
      ? `${mapped.action}: Medusa does nothing with it for a provider of another package`
      : "no payment session or amount in the event"
    return settle({ status: "ignored", reason: why, facts })
  }
  const plan = { kind: "payment" as const, action, session_id: sessionId, amount, currency_code: null }
  const payment = mapped
  try {
    return await exclusively(
      container.resolve<ILockingModule>(Modules.LOCKING),
      `payment-webhooks:session:${sessionId}`,
      lock,
      async () => {
        const context = await readPaymentState(container, sessionId)
        if (!context) {
          return settle({ status: "ignored", reason: `payment session ${sessionId} does not exist in this store`, facts })
        }
        if (context.session.provider_id !== `pp_${claim.provider_id}`) {
          return settle({
            status: "ignored",
            reason: `payment session ${sessionId} belongs to ${context.session.provider_id}, not to pp_${claim.provider_id}`,
            facts,
          })
        }
        const outcome = await carryOutPayment(container, plan, context, { minorUnits: minorUnitsOf })
        if (outcome.status === "retry") {
          throw new AttemptFailed(outcome.reason ?? "not possible yet", { facts, payment })
        }
        return settle({ status: outcome.status, reason: outcome.reason ?? null, outcome: outcome.did ?? null, facts }, { payment })
      },
    )
  } catch (error) {
    throw error instanceof AttemptFailed ? error : new AttemptFailed(errorMessage(error), { facts, payment })
  }
}
