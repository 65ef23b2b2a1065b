import { PspReadCache, PspReadTimeoutError } from "./psp-read-cache"

/** A call the test settles by hand, recording the signal it was given. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A cache on a hand-moved clock. */
function cacheAt(options: { ttlMs?: number; maxEntries?: number; concurrency?: number } = {}) {
  const clock = { now: 1_000_000 }
  const cache = new PspReadCache<string>({
    ttlMs: options.ttlMs ?? 45_000,
    maxEntries: options.maxEntries ?? 100,
    concurrency: options.concurrency ?? 4,
    now: () => clock.now,
  })
  return { cache, clock }
}

const LONG = 10_000

describe("PspReadCache", () => {
  it("answers a second read within the TTL without a call, and asks again once it ran out or the input changed", async () => {
    const { cache, clock } = cacheAt({ ttlMs: 45_000 })
    let calls = 0
    const call = jest.fn(async (_signal: AbortSignal) => `view ${++calls}`)

    const first = await cache.read("stripe_stripe:pay_1", "v1", LONG, call)
    expect(first).toEqual({ value: "view 1", readAt: clock.now })
    clock.now += 44_000
    expect(await cache.read("stripe_stripe:pay_1", "v1", LONG, call)).toEqual(first)
    expect(call).toHaveBeenCalledTimes(1)

    // The payment's data changed (Medusa captured, say): the kept view is of other data.
    expect((await cache.read("stripe_stripe:pay_1", "v2", LONG, call)).value).toBe("view 2")
    clock.now += 45_000
    expect(await cache.read("stripe_stripe:pay_1", "v2", LONG, call)).toEqual({ value: "view 3", readAt: clock.now })
    expect(call).toHaveBeenCalledTimes(3)
  })

  it("shares one call between concurrent reads of the same payment", async () => {
    const { cache } = cacheAt()
    const pending = deferred<string>()
    const call = jest.fn(() => pending.promise)

    const reads = [1, 2, 3].map(() => cache.read("yoco_yoco:pay_1", "v1", LONG, call))
    const other = cache.read("yoco_yoco:pay_2", "v1", LONG, async () => "other")
    pending.resolve("shared")

    const answers = await Promise.all(reads)
    expect(call).toHaveBeenCalledTimes(1)
    expect(answers.map((answer) => answer.value)).toEqual(["shared", "shared", "shared"])
    expect(new Set(answers.map((answer) => answer.readAt)).size).toBe(1)
    expect((await other).value).toBe("other")
  })

  it("runs at most `concurrency` calls at once; the others wait their turn and are all answered", async () => {
    const { cache } = cacheAt({ concurrency: 2 })
    let running = 0
    let most = 0
    const calls = Array.from({ length: 6 }, () => deferred<string>())
    const started: number[] = []
    const reads = calls.map((pending, index) =>
      cache.read(`stripe_stripe:pay_${index}`, "v1", LONG, async () => {
        started.push(index)
        running += 1
        most = Math.max(most, running)
        try {
          return await pending.promise
        } finally {
          running -= 1
        }
      }),
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(started).toEqual([0, 1])
    expect(cache.load).toEqual({ active: 2, waiting: 4 })

    calls.forEach((pending, index) => pending.resolve(`view ${index}`))
    expect((await Promise.all(reads)).map((read) => read.value)).toEqual(calls.map((_pending, index) => `view ${index}`))
    expect(most).toBe(2)
    expect(cache.load).toEqual({ active: 0, waiting: 0 })
  })

  it("aborts a call at the deadline: its signal fires, every caller gets a timeout error, and the turn is freed", async () => {
    const { cache } = cacheAt({ concurrency: 1 })
    let given: AbortSignal | undefined
    // A PSP that never answers, and an HTTP client that stops only when told.
    const hung = (signal: AbortSignal) => {
      given = signal
      return new Promise<string>((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("socket closed"))))
    }
    const started = Date.now()
    const reads = [cache.read("stripe_stripe:pay_1", "v1", 50, hung), cache.read("stripe_stripe:pay_1", "v1", 50, hung)]

    for (const read of reads) {
      await expect(read).rejects.toThrow(PspReadTimeoutError)
      await expect(read).rejects.toThrow("the PSP did not answer within 50 ms")
    }
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(given?.aborted).toBe(true)
    expect(given?.reason).toBeInstanceOf(PspReadTimeoutError)
    // The one turn is free again, and the failure was not kept.
    expect(await cache.read("stripe_stripe:pay_1", "v1", LONG, async () => "answered")).toMatchObject({ value: "answered" })
  })

  it("gives up a read whose turn does not come within its deadline, without calling the PSP", async () => {
    const { cache } = cacheAt({ concurrency: 1 })
    const holding = deferred<string>()
    const first = cache.read("stripe_stripe:pay_1", "v1", LONG, () => holding.promise)
    const never = jest.fn(async () => "too late")

    await expect(cache.read("stripe_stripe:pay_2", "v1", 30, never)).rejects.toThrow(
      "the PSP was not asked: other reads of the PSPs took every turn for 30 ms (1 at once)",
    )
    holding.resolve("first")
    expect((await first).value).toBe("first")
    await new Promise((resolve) => setImmediate(resolve))
    expect(never).not.toHaveBeenCalled()
    expect(cache.load).toEqual({ active: 0, waiting: 0 })
  })

  it("keeps no failed read: the next read asks the PSP again", async () => {
    const { cache } = cacheAt()
    const call = jest.fn().mockRejectedValueOnce(new Error("Stripe answered 500")).mockResolvedValueOnce("recovered")

    await expect(cache.read("stripe_stripe:pay_1", "v1", LONG, call)).rejects.toThrow("Stripe answered 500")
    expect(cache.size).toBe(0)
    expect((await cache.read("stripe_stripe:pay_1", "v1", LONG, call)).value).toBe("recovered")
    expect(call).toHaveBeenCalledTimes(2)
  })

  it("keeps at most `maxEntries` reads: expired ones go first, then the least recently used", async () => {
    const { cache, clock } = cacheAt({ maxEntries: 3, ttlMs: 1_000 })
    const view = (name: string) => async () => name
    for (const name of ["a", "b", "c"]) {
      await cache.read(name, "v1", LONG, view(name))
    }
    await cache.read("a", "v1", LONG, view("a again")) // a kept read, now the most recently used
    await cache.read("d", "v1", LONG, view("d"))
    expect(cache.size).toBe(3)
    const again = jest.fn(async () => "b again")
    expect((await cache.read("b", "v1", LONG, again)).value).toBe("b again")
    expect(again).toHaveBeenCalledTimes(1)
    expect((await cache.read("a", "v1", LONG, view("a third"))).value).toBe("a")

    clock.now += 1_000
    for (const name of ["e", "f"]) {
      await cache.read(name, "v1", LONG, view(name))
    }
    expect(cache.size).toBeLessThanOrEqual(3)
  })
})
