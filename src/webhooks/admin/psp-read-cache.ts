import pLimit, { type Limit } from "p-limit"
import { abortReason, untilAborted } from "../../lib/abort"

/** Settings of {@link PspReadCache}. */
export type PspReadCacheOptions = {
  /** How long a read answers again without asking the PSP, in ms. */
  ttlMs: number
  /** Most reads kept; past it, expired ones are dropped, then the least recently used. */
  maxEntries: number
  /** PSP calls running at once; the others wait their turn. */
  concurrency: number
  /** Injectable clock, in ms. */
  now?: () => number
}

/** What a read gives: the value and when the PSP answered it (ms since the epoch). */
export type PspRead<T> = { value: T; readAt: number }

/** Why a read was given up: the PSP did not answer (or no turn came) within the deadline. */
export class PspReadTimeoutError extends Error {
  override readonly name = "PspReadTimeoutError"
}

type Entry<T> = PspRead<T> & { version: string }

/**
 * Bounds what the admin asks the PSPs, per process: a read answers again for `ttlMs` without a call
 * (the admin may reload an order, or loop over orders, without spending the PSP's rate limit that
 * checkout shares); concurrent reads of one key share one call; at most `concurrency` calls run at
 * once; and a call that outlasts its deadline (its wait for a turn included) is aborted through the
 * signal it was given, and its callers get a {@link PspReadTimeoutError}.
 *
 * Written here rather than on lru-cache's `fetch()`, which has the TTL and the shared call: the deadline
 * must also count the wait for a turn of the per-process cap, and a waiting read must give its turn up.
 *
 * A failed read is not kept: the call is already single-flight and capped, so a failing PSP sees at
 * most one call per key at a time, and a person who retries after a blip should get the answer at once
 * rather than the blip again.
 */
export class PspReadCache<T> {
  private readonly entries = new Map<string, Entry<T>>()
  private readonly inFlight = new Map<string, Promise<PspRead<T>>>()
  private readonly limit: Limit
  private readonly now: () => number

  constructor(private readonly options: PspReadCacheOptions) {
    this.limit = pLimit(options.concurrency)
    this.now = options.now ?? Date.now
  }

  /**
   * The value of `key` at `version`: kept, or being read, or read now by `call` (given a signal that
   * fires at `deadlineMs`). A different `version` (the caller's input changed) is read again.
   * Rejects with the call's error, or a {@link PspReadTimeoutError} at the deadline.
   */
  read(key: string, version: string, deadlineMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<PspRead<T>> {
    const kept = this.entries.get(key)
    if (kept && kept.version === version && this.now() - kept.readAt < this.options.ttlMs) {
      // Moved to the end: the map's order is then least recently used first.
      this.entries.delete(key)
      this.entries.set(key, kept)
      return Promise.resolve({ value: kept.value, readAt: kept.readAt })
    }
    const flightKey = `${key}\u0000${version}`
    const running = this.inFlight.get(flightKey)
    if (running) {
      return running
    }
    const flight = this.fly(deadlineMs, call).then((value) => {
      const readAt = this.now()
      this.keep(key, { value, readAt, version })
      return { value, readAt }
    })
    this.inFlight.set(flightKey, flight)
    // Dropped once settled, failed or not: the next read after a failure asks the PSP again.
    const forget = () => {
      this.inFlight.delete(flightKey)
    }
    flight.then(forget, forget)
    return flight
  }

  /** Reads kept now (expired ones included until swept); for the health of the cache and tests. */
  get size(): number {
    return this.entries.size
  }

  /** PSP calls running now, and calls waiting for a turn. */
  get load(): { active: number; waiting: number } {
    return { active: this.limit.activeCount, waiting: this.limit.pendingCount }
  }

  /** Runs `call` in a turn, under a deadline that starts now: the wait for the turn counts. */
  private fly(deadlineMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    let started = false
    const timer = setTimeout(() => {
      const within = durationText(deadlineMs)
      controller.abort(
        new PspReadTimeoutError(
          started
            ? `the PSP did not answer within ${within}`
            : `the PSP was not asked: other reads of the PSPs took every turn for ${within} (${this.options.concurrency} at once)`,
        ),
      )
    }, deadlineMs)
    const inTurn = this.limit(() => {
      // The deadline passed while it waited: the turn is handed on at once, no call made.
      if (controller.signal.aborted) {
        return Promise.reject(abortReason(controller.signal))
      }
      started = true
      // The turn is freed at the deadline even if the call lingers (a client retrying after the abort).
      return untilAborted(call(controller.signal), controller.signal)
    })
    // Its callers are answered at the deadline, whether it was running or still waiting for a turn.
    const answer = untilAborted(inTurn, controller.signal)
    const clear = () => clearTimeout(timer)
    answer.then(clear, clear)
    return answer
  }

  /** Keeps a read, within `maxEntries`: expired reads go first, then the least recently used. */
  private keep(key: string, entry: Entry<T>): void {
    this.entries.delete(key)
    if (this.entries.size >= this.options.maxEntries) {
      const now = this.now()
      for (const [kept, old] of this.entries) {
        if (now - old.readAt >= this.options.ttlMs) {
          this.entries.delete(kept)
        }
      }
    }
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next()
      if (oldest.done) {
        break
      }
      this.entries.delete(oldest.value)
    }
    this.entries.set(key, entry)
  }
}

/** A duration as a person reads it: `300 ms`, `2.5 s`. */
function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}
