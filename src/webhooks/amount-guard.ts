import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentActions } from "@medusajs/framework/utils"
import { toMinorUnits } from "../lib/money"
import type { MappedWebhookEvent } from "../lib/webhook-result"
import type PaymentWebhooksModuleService from "../modules/payment-webhooks/service"

/** The session's amount and currency: one SQL statement, or the payment module when its tables live elsewhere. */
async function readSession(
  container: MedusaContainer,
  inbox: PaymentWebhooksModuleService,
  sessionId: string
): Promise<{ amount: string | number; currency_code: string } | undefined> {
  const direct = await inbox.readSessionForGuard(sessionId)
  if (direct) {
    return direct.found ? { amount: direct.amount!, currency_code: direct.currency_code! } : undefined
  }
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { select: ["id", "amount", "currency_code"] })
  return session ? { amount: Number(session.amount), currency_code: session.currency_code } : undefined
}

/** What the session says of an authorized/captured event: go on, unknown session, or a mismatch. */
export type GuardVerdict = { ok: true } | { ok: false; status: "ignored" | "failed"; reason: string }

/**
 * Checks an authorized/captured event against its payment session before any workflow runs:
 * a session that is not in this store (another environment on the same PSP account) is ignored;
 * an amount or currency that differs is refused. A capture of less than the session (a partial
 * capture in the PSP's dashboard) is the one legitimate difference. Compared in minor units,
 * as the PSP charged them.
 */
export async function guardAgainstSession(
  container: MedusaContainer,
  inbox: PaymentWebhooksModuleService,
  mapped: MappedWebhookEvent
): Promise<GuardVerdict> {
  const sessionId = mapped.data!.session_id
  const session = await readSession(container, inbox, sessionId)
  if (!session) {
    return { ok: false, status: "ignored", reason: `payment session ${sessionId} does not exist in this store` }
  }
  const currency = mapped.currency_code ?? session.currency_code
  if (currency.toLowerCase() !== session.currency_code.toLowerCase()) {
    return { ok: false, status: "failed", reason: `currency ${currency.toUpperCase()} differs from the session's ${session.currency_code.toUpperCase()}` }
  }
  const expected = toMinorUnits(session.amount, session.currency_code)
  const received = toMinorUnits(mapped.data!.amount, session.currency_code)
  const partialCapture = mapped.action === PaymentActions.SUCCESSFUL && received > 0 && received < expected
  if (received !== expected && !partialCapture) {
    return {
      ok: false,
      status: "failed",
      reason: `amount ${mapped.data!.amount} ${currency.toUpperCase()} differs from the session's ${session.amount} ${session.currency_code.toUpperCase()}`,
    }
  }
  return { ok: true }
}
