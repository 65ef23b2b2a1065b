import type { IPaymentModuleService, MedusaContainer, UpdatePaymentDTO } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { errorMessage } from "../../lib/errors"
import { formatAmount } from "../../lib/amounts"
import type { PspRefund, WebhookEffect, WebhookSource } from "../../lib/webhook-result"
import type { EffectOutcome } from "./outcome"
import type { PaymentContext } from "./payment-context"
import { emitPluginEvent, PaymentWebhookEvents } from "./plugin-events"
import { judgeRefund, readRefundLedger, type RefundVerdict } from "./refund-ledger"

type Payment = NonNullable<PaymentContext["payment"]>

/** Replaces a payment's provider data (the typed DTO leaves `data` out; the module accepts it). */
async function savePaymentData(container: MedusaContainer, paymentId: string, data: Record<string, unknown>): Promise<void> {
  const update: UpdatePaymentDTO & { data: Record<string, unknown> } = { id: paymentId, data }
  await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePayment(update)
}

/** The payment's provider data as committed now (a provider call that returned since the context was read may have written it). */
async function paymentDataNow(container: MedusaContainer, paymentId: string): Promise<Record<string, unknown> | undefined> {
  const payment = await container.resolve<IPaymentModuleService>(Modules.PAYMENT).retrievePayment(paymentId, { select: ["id", "data"] })
  return payment.data ?? undefined
}

/**
 * Records one refund made at the PSP through Medusa's refund workflow, so the order's totals and
 * transactions follow. Its note names the PSP refund with this store's mark: the provider, reading the
 * note on the Refund row Medusa hands it, records it without refunding again.
 */
async function recordExternalRefund(
  container: MedusaContainer,
  source: WebhookSource,
  context: PaymentContext,
  payment: Payment,
  refund: PspRefund,
): Promise<void> {
  await refundPaymentWorkflow(container).run({
    input: { payment_id: payment.id, amount: refund.amount, note: source.externalRefundNote(payment.id, refund.id) },
  })
  await emitPluginEvent(container, PaymentWebhookEvents.REFUND_RECORDED, {
    payment_id: payment.id,
    order_id: context.orderId ?? null,
    session_id: context.session.id,
    refund_id: refund.id,
    amount: refund.amount,
    currency_code: payment.currency_code,
  })
}

/**
 * The payment's data with each booked refund's status as the PSP reports it, read afresh right before
 * it is written; undefined when nothing changes. Only called while no Medusa refund of the payment is
 * in flight: its call's answer, written later, would otherwise carry a copy from before this write.
 */
async function withStatuses(
  container: MedusaContainer,
  source: WebhookSource,
  context: PaymentContext,
  refunds: PspRefund[],
): Promise<Record<string, unknown> | undefined> {
  const fresh = (context.payment ? await paymentDataNow(container, context.payment.id) : undefined) ?? context.payment?.data ?? {}
  const recorded = new Map(source.bookedRefunds(fresh).map((entry) => [entry.psp_refund_id, entry.status]))
  let data: Record<string, unknown> | undefined
  for (const refund of refunds) {
    if (recorded.has(refund.id) && recorded.get(refund.id) !== refund.status) {
      data = source.withRefundStatus(data ?? fresh, refund.id, refund.status) ?? data
    }
  }
  return data
}

/** What the PSP shows refunded now, for the person told of a refund that failed; undefined when it cannot say. */
async function pspRefunded(source: WebhookSource, context: PaymentContext): Promise<number | undefined> {
  try {
    return (await source.readPaymentView(context.payment?.data ?? context.session.data)).refunded
  } catch {
    return undefined
  }
}

/**
 * Brings the PSP's refunds onto the Medusa payment, each judged against what Medusa has booked (see
 * {@link judgeRefund}): a refund Medusa has is only noted with its status; one made at the PSP that
 * succeeded is recorded once; a pending one waits for the PSP to say it succeeded; while a Medusa
 * refund of the payment is still in flight nothing is decided, and the delivery is tried again. A
 * refund that fails after Medusa booked it cannot be un-booked: the delivery is flagged for a person,
 * with the amounts. Duplicate and replayed deliveries find nothing new and say nothing again.
 */
export async function applyRefunds(
  container: MedusaContainer,
  source: WebhookSource,
  context: PaymentContext,
  effect: Extract<WebhookEffect, { kind: "refunds" }>,
): Promise<EffectOutcome> {
  const payment = context.payment
  if (!payment) {
    return { status: "retry", reason: `session ${context.session.id} has no payment yet to record a refund on` }
  }
  const ledger = readRefundLedger({
    recorded: source.bookedRefunds(payment.data),
    medusaRefunds: payment.refunds,
    externalOfNote: (note) => source.externalRefundOfNote(note, payment.id),
    now: new Date(),
  })
  const verdicts = effect.refunds.map((refund): [PspRefund, RefundVerdict] => [refund, judgeRefund(refund, ledger)])
  if (verdicts.some(([, verdict]) => verdict === "wait")) {
    return {
      status: "retry",
      reason: `Medusa refund ${[...ledger.inFlight].join(", ")} of payment ${payment.id} is still in flight: its provider call has not returned`,
    }
  }
  const previously = new Map(source.bookedRefunds(payment.data).map((entry) => [entry.psp_refund_id, entry.status]))
  const newlyFailed = verdicts
    .filter(([refund, verdict]) => verdict === "failed_booked" && previously.get(refund.id) !== refund.status)
    .map(([refund]) => refund)
  const statuses = await withStatuses(
    container,
    source,
    context,
    verdicts.filter(([, verdict]) => verdict === "booked" || verdict === "failed_booked").map(([refund]) => refund),
  )
  if (statuses) {
    await savePaymentData(container, payment.id, statuses)
  }
  const toRecord = verdicts.filter(([, verdict]) => verdict === "record").map(([refund]) => refund)
  if (toRecord.length && !source.canRecordExternalRefunds()) {
    return {
      status: "retry",
      reason: "this provider cannot read the refunds Medusa hands it, so recording a PSP refund could refund it twice",
    }
  }
  for (const refund of toRecord) {
    await recordExternalRefund(container, source, context, payment, refund)
  }
  const did = {
    refunds_recorded: toRecord.map((refund) => refund.id),
    ...(verdicts.some(([, verdict]) => verdict === "pending")
      ? { refunds_pending: verdicts.filter(([, v]) => v === "pending").map(([refund]) => refund.id) }
      : {}),
    ...(newlyFailed.length ? { refunds_failed_after_booking: newlyFailed.map((refund) => refund.id) } : {}),
  }
  if (!newlyFailed.length) {
    const waiting = did.refunds_pending
      ? `refund ${did.refunds_pending.join(", ")} is not final at the PSP: it is booked once the PSP says it succeeded`
      : undefined
    const nothing = verdicts.every(([, verdict]) => verdict === "booked" || verdict === "failed_unbooked")
      ? "every refund was already booked, or failed before it was"
      : undefined
    return { status: "processed", did, ...(waiting || nothing ? { reason: waiting ?? nothing } : {}) }
  }
  for (const refund of newlyFailed) {
    await emitPluginEvent(container, PaymentWebhookEvents.REFUND_FAILED, {
      payment_id: payment.id,
      order_id: context.orderId ?? null,
      session_id: context.session.id,
      refund_id: refund.id,
      reason: refund.failure_reason ?? refund.status,
    }).catch((error: unknown) =>
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Could not emit refund_failed for ${refund.id}: ${errorMessage(error)}`),
    )
  }
  const failedAmount = newlyFailed.reduce((total, refund) => total + refund.amount, 0)
  const currency = payment.currency_code
  return {
    status: "processed",
    did,
    attention: {
      reason:
        `refund ${newlyFailed.map((refund) => refund.id).join(", ")} of ${formatAmount(failedAmount, currency)} failed at the PSP after Medusa booked it ` +
        `(${newlyFailed.map((refund) => refund.failure_reason ?? refund.status).join(", ")}): Medusa still shows ${formatAmount(payment.refunded, currency)} refunded ` +
        "and cannot un-book it; refund the customer another way, or record what the PSP holds",
      amount: failedAmount,
      details: {
        refund_ids: newlyFailed.map((refund) => refund.id),
        medusa_refunded: payment.refunded,
        psp_refunded: (await pspRefunded(source, context)) ?? null,
      },
    },
  }
}
