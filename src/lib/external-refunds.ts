/**
 * Refunds made at the PSP outside Medusa (a dashboard, another tool) are recorded through Medusa's
 * own refund workflow, so the order's totals and transactions stay right. That workflow calls the
 * provider's `refundPayment`; the plugin first parks the refund here in the payment's data, and
 * the provider, finding it, records it instead of asking the PSP to refund a second time.
 */

/** Metadata key under which a provider tags, at the PSP, a refund Medusa asked for: Medusa's refund id. */
export const MEDUSA_REFUND_ID = "medusa_refund_id"

/** Key of the refunds waiting for Medusa's refund workflow. */
const PENDING = "external_refunds_pending"
/** Key of the refunds recorded that way. */
const RECORDED = "external_refunds"

/** One refund made at the PSP, amount in minor units. */
export type ExternalRefund = { id: string; amount: number }

function listAt(data: Record<string, unknown> | undefined, key: string): ExternalRefund[] {
  const value = data?.[key]
  if (!Array.isArray(value)) {
    return []
  }
  return value.filter(
    (entry): entry is ExternalRefund =>
      typeof entry === "object" && entry !== null && typeof entry.id === "string" && typeof entry.amount === "number"
  )
}

/** Payment data with `refund` parked for the provider to pick up (replacing a stale park of the same refund). */
export function parkExternalRefund(data: Record<string, unknown>, refund: ExternalRefund): Record<string, unknown> {
  return { ...data, [PENDING]: [...listAt(data, PENDING).filter((entry) => entry.id !== refund.id), refund] }
}

/**
 * Payment data without `refundId`'s park, when it is still parked (its recording failed before the
 * provider took it; a park left behind would swallow a later refund of the same amount). Undefined
 * when the provider already took it: the refund was booked, and the data must stay as it is.
 */
export function unparkExternalRefund(data: Record<string, unknown>, refundId: string): Record<string, unknown> | undefined {
  const pending = listAt(data, PENDING)
  if (!pending.some((entry) => entry.id === refundId)) {
    return undefined
  }
  return { ...data, [PENDING]: pending.filter((entry) => entry.id !== refundId) }
}

/**
 * If a parked refund of exactly `minorAmount` is waiting, moves it to the recorded list and
 * returns the new data: the provider must then not call the PSP.
 */
export function takeParkedRefund(
  data: Record<string, unknown> | undefined,
  minorAmount: number
): Record<string, unknown> | undefined {
  const pending = listAt(data, PENDING)
  const index = pending.findIndex((refund) => refund.amount === minorAmount)
  if (index < 0) {
    return undefined
  }
  const [taken] = pending.splice(index, 1)
  return { ...data, [PENDING]: pending, [RECORDED]: [...listAt(data, RECORDED), taken] }
}

/**
 * Ids of every refund Medusa has recorded for this payment: made by Medusa, or recorded from the
 * PSP. A parked one is not: its recording may have failed half-way and must be tried again.
 */
export function knownRefundIds(data: Record<string, unknown> | undefined): Set<string> {
  const ids = new Set<string>(listAt(data, RECORDED).map((refund) => refund.id))
  const own = data?.refunds
  if (Array.isArray(own)) {
    for (const refund of own) {
      if (typeof refund === "object" && refund !== null) {
        // Stripe's provider stores `id`, Yoco's `refund_id`.
        const id = "id" in refund ? refund.id : "refund_id" in refund ? refund.refund_id : undefined
        if (typeof id === "string") {
          ids.add(id)
        }
      }
    }
  }
  return ids
}

/** The payment's own refund entries (made through Medusa) with `refundId`'s status set to `status`. */
export function withOwnRefundStatus(
  data: Record<string, unknown>,
  refundId: string,
  status: string
): Record<string, unknown> | undefined {
  const own = data.refunds
  if (!Array.isArray(own)) {
    return undefined
  }
  let found = false
  const refunds = own.map((refund) => {
    if (typeof refund !== "object" || refund === null) {
      return refund
    }
    const id = "id" in refund ? refund.id : "refund_id" in refund ? refund.refund_id : undefined
    if (id !== refundId) {
      return refund
    }
    found = true
    return { ...refund, status }
  })
  return found ? { ...data, refunds } : undefined
}
