import type { RawRunner, RawStatement } from "./raw-runner"
import { readSessions } from "./session-read"

/** The module's knex at its boundary: answers the rows of the sessions it holds among the ids it is given. */
function fakeSessions(table: Record<string, { amount: string; currency_code: string }>) {
  const asked: unknown[][] = []
  const runner: RawRunner = {
    raw(_sql, bindings) {
      asked.push(bindings)
      const [first] = bindings
      const ids = Array.isArray(first) ? first.filter((id): id is string => typeof id === "string") : []
      const statement: RawStatement = {
        options: () => statement,
        timeout: async () => ({ rows: ids.filter((id) => table[id]).map((id) => ({ id, ...table[id] })) }),
      }
      return statement
    },
  }
  return { runner, asked }
}

describe("readSessions", () => {
  it("answers one result per id, in order, asking for each session once", async () => {
    const { runner, asked } = fakeSessions({ payses_1: { amount: "19.99", currency_code: "usd" }, payses_2: { amount: "5", currency_code: "zar" } })
    const read = await readSessions(runner, ["payses_2", "payses_missing", "payses_1", "payses_2"], 1000)
    expect(read).toEqual([
      { found: true, amount: "5", currency_code: "zar" },
      { found: false },
      { found: true, amount: "19.99", currency_code: "usd" },
      { found: true, amount: "5", currency_code: "zar" },
    ])
    expect(asked).toEqual([[["payses_2", "payses_missing", "payses_1"]]])
  })
})
