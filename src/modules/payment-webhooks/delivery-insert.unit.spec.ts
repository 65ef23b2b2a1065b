import { insertDeliveries } from "./delivery-insert"
import type { RawRunner } from "./raw-runner"
import type { DeliveryRecordInput } from "./types"

type Row = { id: string; provider_id: string; event_id: string; event_type: string | null; deliveries: number; raw_body: string | null }
type Call = { sql: string; rows: Row[]; name?: string }

/**
 * A stand-in for the module's knex at its boundary: it reads the JSON parameter as PostgreSQL
 * would, keeps a table of (provider, event) → id, and answers like the statement does.
 */
function fakeDatabase(options: { failFirst?: string } = {}) {
  const table = new Map<string, string>()
  const calls: Call[] = []
  let failure = options.failFirst
  const runner: RawRunner = {
    raw(sql, bindings) {
      const call: Call = { sql, rows: JSON.parse(String(bindings[0])) }
      const statement = {
        options({ name }: { name: string }) {
          call.name = name
          return statement
        },
        async timeout() {
          calls.push(call)
          if (failure) {
            const error = Object.assign(new Error(`prepared statement failure ${failure}`), { code: failure })
            failure = undefined
            throw error
          }
          return {
            rows: call.rows.map((row) => {
              const key = `${row.provider_id}/${row.event_id}`
              const inserted = !table.has(key)
              if (inserted) {
                table.set(key, row.id)
              }
              return {
                id: table.get(key),
                provider_id: row.provider_id,
                event_id: row.event_id,
                inserted,
              }
            }),
          }
        },
      }
      return statement
    },
  }
  return { runner, calls }
}

function delivery(eventId: string, overrides: Partial<DeliveryRecordInput> = {}): DeliveryRecordInput {
  return {
    provider_id: "stripe_stripe",
    event_id: eventId,
    event_type: "payment_intent.succeeded",
    source: "webhook",
    body_hash: "hash",
    raw_body: "{}",
    ...overrides,
  }
}

const OPTIONS = { timeoutMs: 1000, prepared: true }

describe("insertDeliveries", () => {
  it("writes the same event delivered twice in one group as one row counted twice; only the first is new", async () => {
    const { runner, calls } = fakeDatabase()
    const { outcomes } = await insertDeliveries(runner, [delivery("evt_b"), delivery("evt_a"), delivery("evt_b")], OPTIONS)
    expect(calls).toHaveLength(1)
    expect(calls[0].rows.map((row) => [row.event_id, row.deliveries])).toEqual([
      ["evt_a", 1],
      ["evt_b", 2],
    ])
    expect(outcomes.map((outcome) => outcome.duplicate)).toEqual([false, false, true])
    expect(outcomes[0].id).toBe(outcomes[2].id)
  })

  it("answers an event already recorded as a duplicate", async () => {
    const { runner } = fakeDatabase()
    await insertDeliveries(runner, [delivery("evt_1")], OPTIONS)
    const { outcomes } = await insertDeliveries(runner, [delivery("evt_1"), delivery("evt_2")], OPTIONS)
    expect(outcomes.map((outcome) => outcome.duplicate)).toEqual([true, false])
  })

  it("sends no NUL character, which PostgreSQL refuses in text, and still answers the delivery by its own key", async () => {
    const { runner, calls } = fakeDatabase()
    const { outcomes } = await insertDeliveries(
      runner,
      [delivery("evt_\u0000nul", { event_type: "x\u0000y", raw_body: '{"a":"\u0000"}' })],
      OPTIONS,
    )
    expect(JSON.stringify(calls[0].rows)).not.toContain("\\u0000")
    expect(calls[0].rows[0]).toMatchObject({ event_id: "evt_\uFFFDnul", event_type: "x\uFFFDy" })
    expect(outcomes).toEqual([expect.objectContaining({ duplicate: false })])
  })

  it("runs as a named prepared statement", async () => {
    const { runner, calls } = fakeDatabase()
    await insertDeliveries(runner, [delivery("evt_1")], OPTIONS)
    expect(calls[0].name).toMatch(/^mpw_record_deliveries_[0-9a-f]{12}$/)
  })

  it.each([["26000"], ["42P05"]])(
    "writes the group again unprepared when a pooler loses the prepared statement (%s), and says so",
    async (code) => {
      const { runner, calls } = fakeDatabase({ failFirst: code })
      const written = await insertDeliveries(runner, [delivery("evt_1")], OPTIONS)
      expect(written.prepared).toBe(false)
      expect(written.outcomes).toEqual([expect.objectContaining({ duplicate: false })])
      expect(calls.map((call) => call.name)).toEqual([expect.stringMatching(/^mpw_record_deliveries_/), undefined])
    },
  )

  it("lets any other database error through, without a second attempt", async () => {
    const { runner, calls } = fakeDatabase({ failFirst: "57014" })
    await expect(insertDeliveries(runner, [delivery("evt_1")], OPTIONS)).rejects.toThrow("57014")
    expect(calls).toHaveLength(1)
  })
})
