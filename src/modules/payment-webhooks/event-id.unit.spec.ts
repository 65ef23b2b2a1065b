import { decodeTime } from "ulid"
import { newInboxEventId } from "./event-id"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

describe("newInboxEventId", () => {
  it("is a pwhevt_ ULID stamped with the current time", () => {
    const before = Date.now()
    const id = newInboxEventId()
    const after = Date.now()
    expect(id).toMatch(/^pwhevt_[0-9A-HJKMNP-TV-Z]{26}$/)
    const stamped = decodeTime(id.slice("pwhevt_".length))
    expect(stamped).toBeGreaterThanOrEqual(before)
    expect(stamped).toBeLessThanOrEqual(after)
  })

  it("never repeats, across many refills of the random pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newInboxEventId())
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("draws every character of the random part evenly", () => {
    // 20,000 ids × 16 characters: each of the 32 characters is expected 10,000 times.
    const counts = new Map<string, number>()
    for (let index = 0; index < 20_000; index++) {
      for (const char of newInboxEventId().slice(-16)) {
        counts.set(char, (counts.get(char) ?? 0) + 1)
      }
    }
    expect([...counts.keys()].sort().join("")).toBe(CROCKFORD)
    for (const count of counts.values()) {
      // ±5 % is over 15 standard deviations for a fair draw, and far inside what a skewed one misses by.
      expect(Math.abs(count - 10_000)).toBeLessThan(500)
    }
  })
})
