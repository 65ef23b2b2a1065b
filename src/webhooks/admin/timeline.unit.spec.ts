import { timelineOf } from "./timeline"

const worker = { kind: "worker", pid: 42, host: "box" }

describe("timelineOf", () => {
  it("shows receipt, each attempt with the error it ended with, and the verdict, oldest first", () => {
    const timeline = timelineOf({
      received_at: new Date("2026-11-29T10:00:00Z"),
      processed_at: new Date("2026-11-29T10:05:00Z"),
      status: "processed",
      last_error: null,
      outcome: { order_id: "order_1" },
      history: [
        { at: "2026-11-29T10:00:01.5+00:00", kind: "attempt", attempt: 1, process: worker },
        { at: "2026-11-29T10:00:02+00:00", kind: "retry_scheduled", attempt: 1, error: "Stripe is down", process: worker },
        { at: "2026-11-29T10:00:03+00:00", kind: "delivered_again", count: 2 },
        { at: "2026-11-29T10:05:00+00:00", kind: "attempt", attempt: 2, process: worker },
        { at: "2026-11-29T10:05:00.2+00:00", kind: "processed", attempt: 2, outcome: { order_id: "order_1" }, process: worker },
        { at: "2026-11-29T10:06:00+00:00", kind: "not-a-kind" },
      ],
    })
    expect(timeline.map((entry) => entry.kind)).toEqual([
      "received",
      "attempt",
      "retry_scheduled",
      "delivered_again",
      "attempt",
      "processed",
    ])
    expect(timeline[0].at).toBe("2026-11-29T10:00:00.000Z")
    expect(timeline[1]).toEqual({ at: "2026-11-29T10:00:01.500Z", kind: "attempt", attempt: 1, error: "Stripe is down", process: worker })
    expect(timeline[4]).toMatchObject({ kind: "attempt", attempt: 2, outcome: { order_id: "order_1" } })
    expect(timeline[4]).not.toHaveProperty("error")
  })

  it("shows a row settled before histories were kept by its verdict", () => {
    const timeline = timelineOf({
      received_at: "2026-11-29T10:00:00Z",
      processed_at: "2026-11-29T10:01:00Z",
      status: "failed",
      last_error: "boom",
      outcome: null,
      history: null,
    })
    expect(timeline).toEqual([
      { at: "2026-11-29T10:00:00.000Z", kind: "received" },
      { at: "2026-11-29T10:01:00.000Z", kind: "failed", error: "boom" },
    ])
  })
})
