import { parseListQuery } from "./query"

describe("parseListQuery", () => {
  it("reads dates (date or date-time with offset), needs_attention and q", () => {
    expect(parseListQuery({ received_from: "2026-11-29", received_to: "2026-11-30T12:00:00+02:00", needs_attention: "false", q: " pi_123 " })).toEqual({
      received_from: new Date("2026-11-29T00:00:00Z"), received_to: new Date("2026-11-30T10:00:00Z"), needs_attention: false, q: "pi_123", limit: 20, offset: 0,
    })
  })

  it("refuses unknown parameters and bad values with a 400 naming them", () => {
    expect(() => parseListQuery({ serach: "x" })).toThrow(/Invalid query: .*serach/)
    expect(() => parseListQuery({ received_from: "yesterday" })).toThrow("Invalid query: `received_from`: must be an ISO date or date-time")
    expect(() => parseListQuery({ needs_attention: "yes" })).toThrow(/`needs_attention`/)
  })
})
