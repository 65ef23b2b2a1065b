import {
  externalRefundNote,
  externalRefundsOf,
  readExternalRefundNote,
  withExternalRefund,
  withExternalRefundStatus,
} from "./external-refunds"

describe("external refund notes", () => {
  it("name the PSP refund and carry the mark, and read back", () => {
    const note = externalRefundNote("re_123", "0123456789abcdef")
    expect(note).toBe("Refunded at the payment provider (re_123, mark 0123456789abcdef)")
    expect(readExternalRefundNote(note)).toEqual({ psp_refund_id: "re_123", mark: "0123456789abcdef" })
  })

  it("read a note from before marks without one, and nothing from any other note", () => {
    expect(readExternalRefundNote("Refunded at the payment provider (re_123)")).toEqual({ psp_refund_id: "re_123" })
    expect(readExternalRefundNote("Customer changed their mind")).toBeUndefined()
    expect(readExternalRefundNote(null)).toBeUndefined()
  })
})

describe("external refunds in a payment's data", () => {
  it("are recorded once, with Medusa's refund id, and keep the rest of the data", () => {
    const once = withExternalRefund({ id: "pi_1" }, { id: "re_dash", amount: 700, medusa_refund_id: "ref_1" })
    const twice = withExternalRefund(once, { id: "re_dash", amount: 700, medusa_refund_id: "ref_1" })
    expect(twice.id).toBe("pi_1")
    expect(externalRefundsOf(twice)).toEqual([
      { psp_refund_id: "re_dash", amount: 700, status: "succeeded", medusa_refund_id: "ref_1", external: true },
    ])
  })

  it("take a later status, and say so when the refund is not there", () => {
    const data = withExternalRefund({}, { id: "re_dash", amount: 700, medusa_refund_id: "ref_1" })
    expect(externalRefundsOf(withExternalRefundStatus(data, "re_dash", "failed"))[0].status).toBe("failed")
    expect(withExternalRefundStatus(data, "re_other", "failed")).toBeUndefined()
  })
})
