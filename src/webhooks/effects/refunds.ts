import type { IPaymentModuleService, MedusaContainer, UpdatePaymentDTO } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { knownRefundIds, parkExternalRefund, unparkExternalRefund, withOwnRefundStatus } from "../../lib/external-refunds"
import { toMinorUnits } from "../../lib/money"
import type { PspRefund, WebhookEffect } from "../../lib/webhook-result"
import type { EffectOutcome } from "./outcome"
import { readPaymentContext, type PaymentContext } from "./payment-context"
import { emitPluginEvent, PaymentWebhookEvents } from "./plugin-events"

/** Refund statuses that mean the money is (or is on its way) back with the customer. */
const MONEY_BACK = new Set(["succeeded", "pending"])

/** Replaces a payment's provider data (the typed DTO leaves `data` out; the module accepts it). */
async function savePaymentData(container: MedusaContainer, paymentId: string, data: Record<string, unknown>): Promise<void> {
  const update: UpdatePaymentDTO & { data: Record<string, unknown> } = { id: paymentId, data }
  await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePayment(update)
}

/** Records one refund made at the PSP through Medusa's refund workflow, without refunding again. */
async function recordExternalRefund(container: MedusaContainer, context: PaymentContext, refund: PspRefund): Promise<void> {
  const payment = context.payment!
  const fresh = await readPaymentContext(container, context.session.id)
  const data = fresh?.payment?.data ?? payment.data
  const minor = toMinorUnits(refund.amount, payment.currency_code)
  const parked = parkExternalRefund(data, { id: refund.id, amount: minor })
  await savePaymentData(container, payment.id, parked)
  try {
    await refundPaymentWorkflow(container).run({
      input: { payment_id: payment.id, amount: refund.amount, note: `Refunded at the payment provider (${refund.id})` },
    })
  } catch (error) {
    // A park left behind would make a later refund of the same amount from the admin skip the PSP.
    // Read again: the workflow may have failed after the provider took the park (the refund is booked).
    const now = (await readPaymentContext(container, context.session.id))?.payment?.data
    const unparked = now ? unparkExternalRefund(now, refund.id) : undefined
    if (unparked) {
      await savePaymentData(container, payment.id, unparked)
    }
    throw error
  }
  await emitPluginEvent(container, PaymentWebhookEvents.REFUND_RECORDED, {
    payment_id: payment.id,
    order_id: context.orderId ?? null,
    refund_id: refund.id,
    amount: refund.amount,
    currency_code: payment.currency_code,
  })
}

/**
 * Brings the PSP's refunds onto the Medusa payment: each one Medusa does not know yet (by the PSP's
 * refund id) is recorded once, so the order shows what the PSP refunded; a refund Medusa made
 * itself (known by its id, or tagged at the PSP with Medusa's refund id) is only marked settled.
 * Duplicate deliveries find nothing new.
 */
export async function applyRefunds(
  container: MedusaContainer,
  context: PaymentContext,
  effect: Extract<WebhookEffect, { kind: "refunds" }>
): Promise<EffectOutcome> {
  if (!context.payment) {
    return { status: "retry", reason: `session ${context.session.id} has no payment yet to record a refund on` }
  }
  const known = knownRefundIds(context.payment.data)
  let data = context.payment.data
  for (const refund of effect.refunds) {
    const marked = known.has(refund.id) ? withOwnRefundStatus(data, refund.id, refund.status) : undefined
    if (marked) {
      data = marked
      await savePaymentData(container, context.payment.id, data)
    }
  }
  // A refund Medusa asked for is on its books already, even when this event beat the provider's
  // answer, unless Medusa dropped it (the provider call failed on our side after Stripe refunded).
  const medusaRefunds = new Set(context.payment.refund_ids)
  const ownBooked = (refund: PspRefund) => !!refund.medusa_refund_id && medusaRefunds.has(refund.medusa_refund_id)
  const fresh = effect.refunds.filter((refund) => !known.has(refund.id) && !ownBooked(refund) && MONEY_BACK.has(refund.status))
  for (const refund of fresh) {
    await recordExternalRefund(container, context, refund)
  }
  return fresh.length
    ? { status: "processed", did: { refunds_recorded: fresh.map((refund) => refund.id) } }
    : { status: "processed", did: { refunds_recorded: [] }, reason: "every refund was already recorded" }
}

/** A refund that failed at the PSP: its entry on the payment is marked failed and stores are told. */
export async function applyRefundFailed(
  container: MedusaContainer,
  context: PaymentContext,
  effect: Extract<WebhookEffect, { kind: "refund_failed" }>
): Promise<EffectOutcome> {
  const payment = context.payment
  if (!payment) {
    return { status: "ignored", reason: `no payment for session ${context.session.id} in this store` }
  }
  const marked = withOwnRefundStatus(payment.data, effect.refund_id, "failed")
  if (!marked) {
    return { status: "ignored", reason: `refund ${effect.refund_id} was not made through this store` }
  }
  await savePaymentData(container, payment.id, marked)
  await emitPluginEvent(container, PaymentWebhookEvents.REFUND_FAILED, {
    payment_id: payment.id,
    order_id: context.orderId ?? null,
    refund_id: effect.refund_id,
    reason: effect.reason,
  })
  return { status: "processed", did: { refund_marked_failed: effect.refund_id } }
}
