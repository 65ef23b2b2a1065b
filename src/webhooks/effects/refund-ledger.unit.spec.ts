import type { RecordedRefund } from "../../lib/external-refunds"
import type { PspRefund } from "../../lib/webhook-result"
import type { MedusaRefund } from "./payment-context"
import { IN_FLIGHT_HORIZON_MS, judgeRefund, readRefundLedger } from "./refund-ledger"

const now = new Date("2026-12-04T12:00:00Z")
const medusa = (id: string, ageMs = 1_000, note: string | null = null): MedusaRefund => ({
  id,
  amount: 10,
  note,
  created_at: new Date(now.getTime() - ageMs),
})
const psp = (id: string, status = "succeeded", tag?: string): PspRefund => ({
  id,
  amount: 10,
  status,
  ...(tag ? { medusa_refund_id: tag } : {}),
})
const own = (pspId: string, medusaId?: string, status = "succeeded"): RecordedRefund => ({
  psp_refund_id: pspId,
  amount: 1000,
  status,
  external: false,
  ...(medusaId ? { medusa_refund_id: medusaId } : {}),
})

function ledger(recorded: RecordedRefund[], medusaRefunds: MedusaRefund[], marked: Record<string, string> = {}) {
  return readRefundLedger({ recorded, medusaRefunds, externalOfNote: (note) => (note ? marked[note] : undefined), now })
}

describe("readRefundLedger", () => {
  it("holds a Medusa refund in flight until its provider call records it, and no longer than the horizon", () => {
    expect([...ledger([], [medusa("ref_1")]).inFlight]).toEqual(["ref_1"])
    expect([...ledger([own("re_1", "ref_1")], [medusa("ref_1")]).inFlight]).toEqual([])
    expect([...ledger([], [medusa("ref_old", IN_FLIGHT_HORIZON_MS + 1)]).inFlight]).toEqual([])
  })

  it("books a PSP refund a marked note records, and never takes that Medusa refund for one in flight", () => {
    const read = ledger([], [medusa("ref_2", 1_000, "marked")], { marked: "re_dash" })
    expect(read.booked.get("re_dash")).toMatchObject({ medusa_refund_id: "ref_2", external: true })
    expect(read.inFlight.size).toBe(0)
  })
})

describe("judgeRefund", () => {
  it("waits for a Medusa refund in flight before calling an untagged refund a dashboard one (Yoco keeps no tag)", () => {
    expect(judgeRefund(psp("rf_1"), ledger([], [medusa("ref_1")]))).toBe("wait")
    expect(judgeRefund(psp("rf_1"), ledger([own("rf_1", "ref_1", "pending")], [medusa("ref_1")]))).toBe("booked")
  })

  it("counts a tagged refund as booked only once Medusa's call came back, and records it once Medusa dropped its row", () => {
    expect(judgeRefund(psp("re_1", "succeeded", "ref_1"), ledger([], [medusa("ref_1")]))).toBe("wait")
    expect(judgeRefund(psp("re_1", "succeeded", "ref_1"), ledger([own("re_1", "ref_1")], [medusa("ref_1")]))).toBe("booked")
    // Its call failed after Stripe refunded: Medusa deleted the row, so nothing books it but this.
    expect(judgeRefund(psp("re_1", "succeeded", "ref_1"), ledger([], []))).toBe("record")
    // Another refund in flight is not this one: a tagged refund never waits on it.
    expect(judgeRefund(psp("re_1", "succeeded", "ref_gone"), ledger([], [medusa("ref_other")]))).toBe("record")
  })

  it("books a refund made at the PSP only once it succeeded", () => {
    expect(judgeRefund(psp("re_dash", "pending"), ledger([], []))).toBe("pending")
    expect(judgeRefund(psp("re_dash", "succeeded"), ledger([], []))).toBe("record")
    expect(judgeRefund(psp("re_dash", "failed"), ledger([], []))).toBe("failed_unbooked")
  })

  it("tells a failure of a refund Medusa booked, whichever way it was booked", () => {
    expect(judgeRefund(psp("re_1", "failed", "ref_1"), ledger([own("re_1", "ref_1")], [medusa("ref_1")]))).toBe("failed_booked")
    expect(judgeRefund(psp("re_dash", "failed"), ledger([], [medusa("ref_2", 1_000, "marked")], { marked: "re_dash" }))).toBe(
      "failed_booked",
    )
    expect(judgeRefund(psp("rf_1", "canceled"), ledger([own("rf_1", "ref_1", "pending")], [medusa("ref_1")]))).toBe("failed_booked")
  })
})
