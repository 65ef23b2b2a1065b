import { StatementBatcher } from "./statement-batcher"

/** A write that waits until released, and remembers each group it was given. */
function controlledWrite() {
  const groups: Array<{ items: number[]; timeoutMs: number }> = []
  const releases: Array<() => void> = []
  const write = (items: number[], timeoutMs: number) =>
    new Promise<string[]>((resolve) => {
      groups.push({ items, timeoutMs })
      releases.push(() => resolve(items.map((item) => `row ${item}`)))
    })
  return { groups, releases, write }
}

/** Lets a finished write's callbacks run, and the flush they schedule. */
async function settle() {
  for (let turn = 0; turn < 3; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve))
  }
}
const timedOut = (waited: number) => new Error(`timed out after ${waited} ms`)

describe("StatementBatcher", () => {
  it("writes a lone item at once, by itself", async () => {
    const { groups, releases, write } = controlledWrite()
    const batcher = new StatementBatcher(write, { maxBatch: 10, maxInFlight: 1, timeoutMs: 1000, timedOut })
    const written = batcher.submit(1)
    await settle()
    expect(groups.map((group) => group.items)).toEqual([[1]])
    releases[0]()
    await expect(written).resolves.toBe("row 1")
  })

  it("groups what arrives while a write is in flight into the next statement, each caller getting its own row", async () => {
    const { groups, releases, write } = controlledWrite()
    const batcher = new StatementBatcher(write, { maxBatch: 3, maxInFlight: 1, timeoutMs: 1000, timedOut })
    const first = batcher.submit(1)
    await settle()
    const rest = [2, 3, 4, 5, 6].map((item) => batcher.submit(item))
    await settle()
    expect(groups).toHaveLength(1)
    releases[0]()
    await settle()
    releases[1]()
    await settle()
    releases[2]()
    expect(groups.map((group) => group.items)).toEqual([[1], [2, 3, 4], [5, 6]])
    await expect(Promise.all([first, ...rest])).resolves.toEqual(["row 1", "row 2", "row 3", "row 4", "row 5", "row 6"])
  })

  it("never has more statements in flight than allowed", async () => {
    const { groups, releases, write } = controlledWrite()
    const batcher = new StatementBatcher(write, { maxBatch: 1, maxInFlight: 2, timeoutMs: 1000, timedOut })
    const written = [1, 2, 3, 4].map((item) => batcher.submit(item))
    await settle()
    expect(groups).toHaveLength(2)
    expect(batcher.waiting).toBe(2)
    releases[0]()
    releases[1]()
    await settle()
    expect(groups).toHaveLength(4)
    releases[2]()
    releases[3]()
    await expect(Promise.all(written)).resolves.toHaveLength(4)
  })

  it("drops an item whose time ran out while it waited, so it is never written after its caller gave up", async () => {
    const { groups, releases, write } = controlledWrite()
    const batcher = new StatementBatcher(write, { maxBatch: 10, maxInFlight: 1, timeoutMs: 40, timedOut })
    const first = batcher.submit(1)
    await settle()
    const late = batcher.submit(2)
    await expect(late).rejects.toThrow("timed out")
    expect(batcher.waiting).toBe(0)
    releases[0]()
    await first.catch(() => undefined)
    await settle()
    expect(groups.map((group) => group.items)).toEqual([[1]])
  })

  it("gives a statement no more time than its items have left", async () => {
    const { groups, releases, write } = controlledWrite()
    const batcher = new StatementBatcher(write, { maxBatch: 10, maxInFlight: 1, timeoutMs: 1000, timedOut })
    const first = batcher.submit(1)
    await settle()
    const second = batcher.submit(2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    releases[0]()
    await first
    await settle()
    expect(groups[1].timeoutMs).toBeLessThanOrEqual(1000 - 100 + 5)
    expect(groups[1].timeoutMs).toBeGreaterThan(0)
    releases[1]()
    await expect(second).resolves.toBe("row 2")
  })

  it("fails every item of a statement that fails, and goes on with the next group", async () => {
    let calls = 0
    const batcher = new StatementBatcher(
      async (items: number[]) => {
        calls += 1
        if (calls === 1) {
          throw new Error("connection reset")
        }
        return items.map((item) => `row ${item}`)
      },
      { maxBatch: 10, maxInFlight: 1, timeoutMs: 1000, timedOut },
    )
    const failed = [batcher.submit(1), batcher.submit(2)]
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: "rejected", reason: new Error("connection reset") },
      { status: "rejected", reason: new Error("connection reset") },
    ])
    await expect(batcher.submit(3)).resolves.toBe("row 3")
  })
})
