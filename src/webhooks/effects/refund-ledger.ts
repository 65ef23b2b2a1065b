import type { RecordedRefund } from "../../lib/external-refunds"
import type { PspRefund } from "../../lib/webhook-result"
import type { MedusaRefund } from "./payment-context"

/**
 * How long a Medusa refund with no word from its provider call counts as in flight. The call is
 * bounded by the PSP clients' timeouts and retries (about a minute); past this, a refund whose
 * completion the payment's data does not show (written before it was recorded there, or overwritten)
 * is taken as completed: its row still exists, so Medusa booked it.
 */
export const IN_FLIGHT_HORIZON_MS = 15 * 60_000

/** What Medusa has booked of a payment's refunds, and what it is still doing. Pure. */
export type RefundLedger = {
  /** PSP refund ids Medusa has booked, by the way they were booked. */
  booked: Map<string, { medusa_refund_id?: string; external: boolean; status?: string }>
  /** Medusa's refund ids on the payment. */
  medusa: Set<string>
  /** Medusa refunds whose provider call has not come back yet: what they booked at the PSP is not known. */
  inFlight: Set<string>
}

/**
 * Reads the ledger from the payment's data (what each provider call recorded when it returned) and
 * Medusa's Refund rows (each created before its provider call, deleted if that call threw). A row whose
 * note carries this store's mark records a refund made at the PSP, and its call never reaches the PSP.
 */
export function readRefundLedger(input: {
  recorded: RecordedRefund[]
  medusaRefunds: MedusaRefund[]
  /** The PSP refund a marked note records, or undefined (see the provider port). */
  externalOfNote: (note: string | null) => string | undefined
  now: Date
}): RefundLedger {
  const booked: RefundLedger["booked"] = new Map()
  const completed = new Set<string>()
  for (const entry of input.recorded) {
    booked.set(entry.psp_refund_id, { medusa_refund_id: entry.medusa_refund_id, external: entry.external, status: entry.status })
    if (entry.medusa_refund_id) {
      completed.add(entry.medusa_refund_id)
    }
  }
  for (const refund of input.medusaRefunds) {
    const recorded = input.externalOfNote(refund.note)
    if (recorded) {
      completed.add(refund.id)
      booked.set(recorded, { ...booked.get(recorded), medusa_refund_id: refund.id, external: true })
    }
  }
  const inFlight = new Set(
    input.medusaRefunds
      .filter((refund) => !completed.has(refund.id) && input.now.getTime() - refund.created_at.getTime() < IN_FLIGHT_HORIZON_MS)
      .map((refund) => refund.id),
  )
  return { booked, medusa: new Set(input.medusaRefunds.map((refund) => refund.id)), inFlight }
}

/** What to do with one PSP refund. */
export type RefundVerdict =
  /** Medusa has it: only its status may need noting. */
  | "booked"
  /** A Medusa refund it may be is still in flight: try again once its call has come back. */
  | "wait"
  /** Made at the PSP and succeeded, unknown to Medusa: record it. */
  | "record"
  /** Not booked and not final at the PSP: booked once the PSP says it succeeded. */
  | "pending"
  /** Failed at the PSP before Medusa booked it: nothing to undo. */
  | "failed_unbooked"
  /** Failed at the PSP after Medusa booked it: Medusa cannot un-book it, a person must act. */
  | "failed_booked"

const FAILED = new Set(["failed", "canceled"])

/**
 * Judges one PSP refund against the ledger. A refund tagged with Medusa's refund id is Medusa's while
 * that refund exists (booked once its call came back, waited for while in flight); once Medusa deleted
 * it (its call failed after the PSP refunded) it is like one made in the dashboard. An untagged refund
 * (a dashboard's, or from a PSP that keeps no tag) is never taken for a dashboard refund while any
 * Medusa refund of the payment is in flight: that refund may be this one.
 */
export function judgeRefund(refund: PspRefund, ledger: RefundLedger): RefundVerdict {
  const tag = refund.medusa_refund_id
  const taggedAndBooked = !!tag && ledger.medusa.has(tag) && !ledger.inFlight.has(tag)
  const booked = ledger.booked.has(refund.id) || taggedAndBooked
  const waits = tag && ledger.medusa.has(tag) ? ledger.inFlight.has(tag) : !tag && ledger.inFlight.size > 0
  if (booked) {
    return FAILED.has(refund.status) ? "failed_booked" : "booked"
  }
  if (waits) {
    return "wait"
  }
  if (FAILED.has(refund.status)) {
    return "failed_unbooked"
  }
  return refund.status === "succeeded" ? "record" : "pending"
}
