import { z } from "zod"
import { MedusaError } from "@medusajs/framework/utils"
import type { YocoMode } from "./options"
import type { YocoCheckout } from "./types"

/** A refund as the session records it; `pending` until Yoco's `refund.succeeded` / `refund.failed` arrives. */
export const yocoRefundRecordSchema = z.looseObject({
  refund_id: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  /** Cents. */
  amount: z.number().int(),
  /** Medusa's refund id, once the call that asked Yoco for this refund returned. */
  medusa_refund_id: z.string().optional(),
})

/** One recorded refund request. */
export type YocoRefundRecord = z.infer<typeof yocoRefundRecordSchema>

/**
 * What the provider keeps in the Medusa payment session's (and payment's) `data`.
 * The storefront reads `redirect_url` to send the customer to Yoco's hosted page.
 */
export const yocoSessionDataSchema = z.looseObject({
  checkout_id: z.string().optional(),
  redirect_url: z.string().optional(),
  /** Cents, as sent to Yoco. */
  amount: z.number().int().optional(),
  currency: z.string().optional(),
  /** The Medusa payment session id, also in the checkout's `metadata.session_id`. */
  session_id: z.string().optional(),
  mode: z.enum(["live", "test"]).optional(),
  /** Set by cancelPayment / deletePayment: the session must not be paid or authorized any more. */
  canceled: z.boolean().optional(),
  refunds: z.array(yocoRefundRecordSchema).optional(),
})

/** A payment session's `data`, as the Yoco provider writes it. */
export type YocoSessionData = z.infer<typeof yocoSessionDataSchema>

/** Reads a session's `data`; refuses data another provider (or a hand edit) wrote. */
export function readSessionData(operation: string, data: Record<string, unknown> | undefined): YocoSessionData {
  const result = yocoSessionDataSchema.safeParse(data ?? {})
  if (!result.success) {
    const field = result.error.issues[0]?.path.join(".") || "data"
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Yoco ${operation}: payment data field \`${field}\` is not what the Yoco provider stores`,
    )
  }
  return result.data
}

/** The checkout id a session must have for any call to Yoco. */
export function requireCheckoutId(operation: string, data: YocoSessionData): string {
  if (!data.checkout_id) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Yoco ${operation}: the payment data has no checkout_id`)
  }
  return data.checkout_id
}

/** The session data after a checkout was created for `sessionId`. */
export function dataForCheckout(checkout: YocoCheckout, sessionId: string, mode: YocoMode): YocoSessionData {
  return {
    checkout_id: checkout.id,
    redirect_url: checkout.redirectUrl,
    amount: checkout.amount,
    currency: checkout.currency,
    session_id: sessionId,
    mode,
  }
}

/** Adds a refund request to the records, once (a retried Medusa call replays the same refundId). */
export function withRefund(data: YocoSessionData, refund: YocoRefundRecord): YocoRefundRecord[] {
  const refunds = data.refunds ?? []
  return refunds.some((existing) => existing.refund_id === refund.refund_id) ? refunds : [...refunds, refund]
}
