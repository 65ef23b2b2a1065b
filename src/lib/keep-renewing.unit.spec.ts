import { keepRenewing } from "./keep-renewing"

describe("keepRenewing", () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  async function tick(ms: number) {
    await jest.advanceTimersByTimeAsync(ms)
  }

  it("renews at every period until stopped", async () => {
    const renew = jest.fn(async () => true)
    const renewing = keepRenewing(renew, 1000)
    await tick(3500)
    expect(renew).toHaveBeenCalledTimes(3)
    renewing.stop()
    await tick(5000)
    expect(renew).toHaveBeenCalledTimes(3)
  })

  it("stops once the hold is gone, and keeps trying after a renewal that threw", async () => {
    const answers = [Promise.reject(new Error("connection reset")), Promise.resolve(false)]
    answers[0].catch(() => undefined)
    const renew = jest.fn(() => answers.shift() ?? Promise.resolve(true))
    keepRenewing(renew, 1000)
    await tick(5000)
    expect(renew).toHaveBeenCalledTimes(2)
  })
})
