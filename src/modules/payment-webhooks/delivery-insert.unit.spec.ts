import { insertDeliveries } from "./delivery-insert"
import type { RawRunner } from "./raw-runner"
import type { DeliveryRecordInput } from "./types"

type Row = { id: string; provider_id: string; event_id: string; deliveries: number; session_id: string | null; read_session: boolean }
type Call = { sql: string; rows: Row[]; name?: string }

/**
 * A stand-in for the module's knex at its boundary: it reads the JSON parameter as PostgreSQL
 * would, keeps a table of (provider, event) → id, and answers like the statement does.
 */
function fakeDatabase(options: { sessions?: Record<string, { amount: string; currency_code: string }>; failFirst?: string } = {}) {
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
              const session = row.read_session && row.session_id ? options.sessions?.[row.session_id] : undefined
              return {
                id: table.get(key), provider_id: row.provider_id, event_id: row.event_id, inserted,
                session_found: Boolean(session), session_amount: session?.amount ?? null, session_currency: session?.currency_code ?? null,
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
    provider_id: "stripe_stripe", event_id: eventId, event_type: "payment_intent.succeeded", session_id: "payses_1",
    action: "captured", amount: 25, currency_code: "usd", status: "received", source: "webhook", last_error: null,
    body_hash: "hash", details: null, raw_body: "{}", read_session: true, ...overrides,
  }
}

const OPTIONS = { timeoutMs: 1000, keepRawBody: true, readSessions: true, prepared: true }

describe("insertDeliveries", () => {
  it("writes the same event delivered twice in one group as one row counted twice; only the first is new", async () => {
    const { runner, calls } = fakeDatabase({ sessions: { payses_1: { amount: "25", currency_code: "usd" } } })
    const { outcomes } = await insertDeliveries(runner, [delivery("evt_b"), delivery("evt_a"), delivery("evt_b")], OPTIONS)
    expect(calls).toHaveLength(1)
    expect(calls[0].rows.map((row) => [row.event_id, row.deliveries])).toEqual([["evt_a", 1], ["evt_b", 2]])
    expect(outcomes.map((outcome) => outcome.duplicate)).toEqual([false, false, true])
    expect(outcomes[0].id).toBe(outcomes[2].id)
    expect(outcomes[0].session).toEqual({ found: true, amount: "25", currency_code: "usd" })
    expect(outcomes[2].session).toBeUndefined()
  })

  it("answers an event already recorded as a duplicate, and an unknown session as not found", async () => {
    const { runner } = fakeDatabase()
    await insertDeliveries(runner, [delivery("evt_1")], OPTIONS)
    const { outcomes } = await insertDeliveries(runner, [delivery("evt_1"), delivery("evt_2", { session_id: "payses_other" })], OPTIONS)
    expect(outcomes.map((outcome) => outcome.duplicate)).toEqual([true, false])
    expect(outcomes[1].session).toEqual({ found: false })
  })

  it("drops the raw body when it is not to be kept", async () => {
    const { runner, calls } = fakeDatabase()
    await insertDeliveries(runner, [delivery("evt_1", { raw_body: "secret-ish payload" })], { ...OPTIONS, keepRawBody: false })
    expect(calls[0].rows[0]).toMatchObject({ raw_body: null })
  })

  it("runs as a named prepared statement, one name per statement text", async () => {
    const { runner, calls } = fakeDatabase()
    await insertDeliveries(runner, [delivery("evt_1")], OPTIONS)
    await insertDeliveries(runner, [delivery("evt_2")], { ...OPTIONS, readSessions: false })
    expect(calls[0].name).toMatch(/^mpw_record_deliveries_[0-9a-f]{12}$/)
    expect(calls[1].name).toMatch(/^mpw_record_deliveries_[0-9a-f]{12}$/)
    expect(calls[0].name).not.toBe(calls[1].name)
    expect(calls[1].sql).not.toContain("payment_session")
  })

  it.each([["26000"], ["42P05"]])("writes the group again unprepared when a pooler loses the prepared statement (%s), and says so", async (code) => {
    const { runner, calls } = fakeDatabase({ failFirst: code })
    const written = await insertDeliveries(runner, [delivery("evt_1")], OPTIONS)
    expect(written.prepared).toBe(false)
    expect(written.outcomes).toEqual([expect.objectContaining({ duplicate: false })])
    expect(calls.map((call) => call.name)).toEqual([expect.stringMatching(/^mpw_record_deliveries_/), undefined])
  })

  it("lets any other database error through, without a second attempt", async () => {
    const { runner, calls } = fakeDatabase({ failFirst: "57014" })
    await expect(insertDeliveries(runner, [delivery("evt_1")], OPTIONS)).rejects.toThrow("57014")
    expect(calls).toHaveLength(1)
  })
})
