import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentActions } from "@medusajs/framework/utils"
import { toMinorUnits } from "../lib/money"
import type PaymentWebhooksModuleService from "../modules/payment-webhooks/service"
import type { SessionForGuard } from "../modules/payment-webhooks/types"

/** What the check needs of an authorized/captured event, from the edge's mapping or from an inbox row. */
export type GuardedEvent = { session_id: string; amount: string | number; currency_code: string | null; action: string }

/** What the session says of an authorized/captured event: go on, unknown session, or a mismatch. */
export type GuardVerdict = { ok: true } | { ok: false; status: "ignored" | "failed"; reason: string }

/** The session's amount and currency: one SQL statement, or the payment module when its tables live elsewhere. */
async function readSession(container: MedusaContainer, inbox: PaymentWebhooksModuleService, sessionId: string): Promise<SessionForGuard> {
  const direct = await inbox.readSessionForGuard(sessionId)
  if (direct) {
    return direct
  }
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { select: ["id", "amount", "currency_code"] })
  return session ? { found: true, amount: String(session.amount), currency_code: session.currency_code } : { found: false }
}

/**
 * Judges an authorized/captured event by its payment session: a session that is not in this store
 * (another environment on the same PSP account) is ignored; an amount or currency that differs is
 * refused. A capture of less than the session (a partial capture in the PSP's dashboard) is the one
 * legitimate difference. Compared in minor units, as the PSP charged them.
 */
export function judgeAgainstSession(event: GuardedEvent, session: SessionForGuard): GuardVerdict {
  if (!session.found || session.amount === undefined || !session.currency_code) {
    return { ok: false, status: "ignored", reason: `payment session ${event.session_id} does not exist in this store` }
  }
  const currency = event.currency_code ?? session.currency_code
  if (currency.toLowerCase() !== session.currency_code.toLowerCase()) {
    return { ok: false, status: "failed", reason: `currency ${currency.toUpperCase()} differs from the session's ${session.currency_code.toUpperCase()}` }
  }
  const expected = toMinorUnits(session.amount, session.currency_code)
  const received = toMinorUnits(event.amount, session.currency_code)
  const partialCapture = event.action === PaymentActions.SUCCESSFUL && received > 0 && received < expected
  if (received !== expected && !partialCapture) {
    return {
      ok: false,
      status: "failed",
      reason: `amount ${event.amount} ${currency.toUpperCase()} differs from the session's ${session.amount} ${session.currency_code.toUpperCase()}`,
    }
  }
  return { ok: true }
}

/**
 * Checks an authorized/captured event against its payment session before any workflow runs,
 * reading the session unless the caller already has it (the edge reads it with the insert).
 */
export async function guardAgainstSession(
  container: MedusaContainer,
  inbox: PaymentWebhooksModuleService,
  event: GuardedEvent,
  known?: SessionForGuard
): Promise<GuardVerdict> {
  return judgeAgainstSession(event, known ?? (await readSession(container, inbox, event.session_id)))
}
