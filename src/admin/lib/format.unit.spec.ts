import { formatAge } from "./format"

describe("formatAge", () => {
  const now = Date.parse("2026-03-01T12:00:00.000Z")
  const ago = (ms: number) => new Date(now - ms).toISOString()

  it("says how long ago an instant was, in the unit a person reads", () => {
    expect(formatAge(ago(2_000), now)).toBe("just now")
    expect(formatAge(ago(12_000), now)).toBe("12 s ago")
    expect(formatAge(ago(3 * 60_000 + 5_000), now)).toBe("3 min ago")
    expect(formatAge(ago(2 * 3_600_000), now)).toBe("2 h ago")
  })

  it("reads a clock slightly ahead as just now, and shows '-' for no instant", () => {
    expect(formatAge(ago(-3_000), now)).toBe("just now")
    expect(formatAge(null, now)).toBe("-")
    expect(formatAge("not a date", now)).toBe("-")
  })
})
