/**
 * How this package books refunds on a Medusa payment. A refund made through Medusa is tagged at the
 * PSP with Medusa's refund id where the PSP keeps metadata, and recorded in the payment's data with
 * both ids once the provider's call returns. A refund made at the PSP outside Medusa (a dashboard) is
 * recorded through Medusa's own refund workflow with a note naming it and a mark only this store can
 * make: the provider, reading the note on the Refund row Medusa committed, records it without asking
 * the PSP to refund again.
 */

import { isRecord } from "./records"

/** Metadata key under which a provider tags, at the PSP, a refund Medusa asked for: Medusa's refund id. */
export const MEDUSA_REFUND_ID = "medusa_refund_id"

/** Key, in the payment's data, of the refunds made at the PSP and recorded through Medusa (the same for every provider). */
const EXTERNAL = "external_refunds"

/** A refund as a payment's data records it, amount in minor units. */
export type RecordedRefund = {
  /** The PSP's refund id. */
  psp_refund_id: string
  amount: number
  status?: string
  /** Medusa's refund id, once the provider's call for it returned. */
  medusa_refund_id?: string
  /** Made at the PSP outside Medusa, then recorded. */
  external: boolean
}

/** The refunds recorded as made at the PSP outside Medusa. */
export function externalRefundsOf(data: Record<string, unknown> | undefined): RecordedRefund[] {
  const value = data?.[EXTERNAL]
  return (Array.isArray(value) ? value : []).flatMap((entry: unknown) =>
    isRecord(entry) && typeof entry.id === "string" && typeof entry.amount === "number"
      ? [
          {
            psp_refund_id: entry.id,
            amount: entry.amount,
            external: true,
            ...(typeof entry.status === "string" ? { status: entry.status } : {}),
            ...(typeof entry[MEDUSA_REFUND_ID] === "string" ? { medusa_refund_id: entry[MEDUSA_REFUND_ID] } : {}),
          },
        ]
      : [],
  )
}

/** Payment data with an external refund recorded (once: a retried recording finds it there). */
export function withExternalRefund(
  data: Record<string, unknown>,
  refund: { id: string; amount: number; medusa_refund_id: string },
): Record<string, unknown> {
  const value = data[EXTERNAL]
  const entries = Array.isArray(value) ? value.filter((entry: unknown) => !(isRecord(entry) && entry.id === refund.id)) : []
  return {
    ...data,
    [EXTERNAL]: [...entries, { id: refund.id, amount: refund.amount, status: "succeeded", [MEDUSA_REFUND_ID]: refund.medusa_refund_id }],
  }
}

/** Payment data with the external refund `refundId`'s status set; undefined when it is not recorded there. */
export function withExternalRefundStatus(
  data: Record<string, unknown>,
  refundId: string,
  status: string,
): Record<string, unknown> | undefined {
  const value = data[EXTERNAL]
  if (!Array.isArray(value) || !value.some((entry: unknown) => isRecord(entry) && entry.id === refundId)) {
    return undefined
  }
  return { ...data, [EXTERNAL]: value.map((entry: unknown) => (isRecord(entry) && entry.id === refundId ? { ...entry, status } : entry)) }
}

/** The start of every note on a refund recorded from the PSP: what a person reads on the order. */
const NOTE_PREFIX = "Refunded at the payment provider"

/** The note on the Medusa refund that records the PSP's refund `pspRefundId`, with this store's `mark` for it. */
export function externalRefundNote(pspRefundId: string, mark: string): string {
  return `${NOTE_PREFIX} (${pspRefundId}, mark ${mark})`
}

/**
 * The PSP refund id and mark a note names, when it is one of {@link externalRefundNote}'s. Notes
 * written before marks existed (`… (re_123)`) name the refund without a mark.
 */
export function readExternalRefundNote(note: string | null | undefined): { psp_refund_id: string; mark?: string } | undefined {
  const match = note ? /^Refunded at the payment provider \(([^\s,()]+)(?:, mark ([0-9a-f]+))?\)$/.exec(note) : null
  if (!match) {
    return undefined
  }
  return { psp_refund_id: match[1], ...(match[2] ? { mark: match[2] } : {}) }
}
