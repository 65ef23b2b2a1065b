/** Runs a group of items as one statement; answers one output per item, in order. */
export type GroupStatement<In, Out> = (items: In[], timeoutMs: number) => Promise<Out[]>

/** How a {@link StatementBatcher} groups its statements. */
export type StatementBatcherOptions = {
  /** Most items in one statement. */
  maxBatch: number
  /** Most statements in flight at once; items arriving meanwhile wait and go together in the next. */
  maxInFlight: number
  /** Longest an item may take, from submission to its statement's end (waiting included). */
  timeoutMs: number
  /** The error an item that ran out of time is rejected with. */
  timedOut: (waitedMs: number) => Error
}

type Pending<In, Out> = {
  item: In
  deadline: number
  state: "waiting" | "writing" | "done"
  timer?: NodeJS.Timeout
  resolve: (out: Out) => void
  reject: (error: unknown) => void
}

/**
 * Group commit for the webhook hot path: items submitted while `maxInFlight` statements are
 * already running wait and go together in the next one, so under a burst one round trip (and, for
 * a write, one commit and one WAL flush) serves many deliveries, and a lone delivery goes at once.
 * Each item keeps its own deadline: one that runs out while still waiting is dropped before it is
 * written (its caller answers 503 and the PSP's retry must not find a row), and a statement is
 * given no more time than the earliest deadline among its items.
 */
export class StatementBatcher<In, Out> {
  private readonly queue: Array<Pending<In, Out>> = []
  private inFlight = 0
  private flushScheduled = false

  constructor(
    private readonly run: GroupStatement<In, Out>,
    private readonly options: StatementBatcherOptions,
  ) {}

  /** Runs `item` with whatever else is waiting; resolves with its own output. */
  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      const submittedAt = Date.now()
      const pending: Pending<In, Out> = { item, deadline: submittedAt + this.options.timeoutMs, state: "waiting", resolve, reject }
      const expire = () => this.fail(pending, this.options.timedOut(Date.now() - submittedAt))
      pending.timer = setTimeout(() => {
        if (pending.state === "waiting") {
          expire()
        } else {
          // Being written: the statement's own timeout cancels it; this is the net for a cancellation that hangs.
          pending.timer = setTimeout(expire, 250)
        }
      }, this.options.timeoutMs)
      this.queue.push(pending)
      this.scheduleFlush()
    })
  }

  /** Items waiting for a statement (for tests and diagnostics). */
  get waiting(): number {
    return this.queue.filter((pending) => pending.state === "waiting").length
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= this.options.maxInFlight || !this.queue.length) {
      return
    }
    this.flushScheduled = true
    // setImmediate, not a microtask: requests whose bytes arrived in the same I/O phase join this batch.
    setImmediate(() => {
      this.flushScheduled = false
      this.flush()
    })
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxBatch).filter((pending) => pending.state === "waiting")
      const now = Date.now()
      const live = batch.filter((pending) => {
        if (pending.deadline > now) {
          return true
        }
        this.fail(pending, this.options.timedOut(this.options.timeoutMs))
        return false
      })
      if (!live.length) {
        continue
      }
      const remaining = Math.min(...live.map((pending) => pending.deadline)) - now
      live.forEach((pending) => (pending.state = "writing"))
      this.inFlight += 1
      this.run(
        live.map((pending) => pending.item),
        remaining,
      )
        .then(
          (outputs) => live.forEach((pending, index) => this.succeed(pending, outputs[index])),
          (error: unknown) => live.forEach((pending) => this.fail(pending, error)),
        )
        .finally(() => {
          this.inFlight -= 1
          this.scheduleFlush()
        })
    }
  }

  private succeed(pending: Pending<In, Out>, output: Out): void {
    if (pending.state !== "done") {
      pending.state = "done"
      clearTimeout(pending.timer)
      pending.resolve(output)
    }
  }

  private fail(pending: Pending<In, Out>, error: unknown): void {
    if (pending.state !== "done") {
      pending.state = "done"
      clearTimeout(pending.timer)
      pending.reject(error)
    }
  }
}
