import { randomUUID } from "node:crypto"
import type { ILockingModule } from "@medusajs/framework/types"
import { errorMessage } from "../../lib/errors"
import { keepRenewing } from "../../lib/keep-renewing"
import { inSpan } from "../telemetry/spans"

/** How long a lock holds without renewal, and how long to wait for one. */
export type LockTiming = { leaseSeconds: number; waitSeconds: number }

/** A holder that asks for the lock while another holds it is refused at once, with this message (every provider of Medusa 2.21). */
const HELD_ELSEWHERE = /failed to acquire lock/i

/**
 * Runs `work` alone for `key` across every process, through Medusa's Locking module: the same module
 * (and, in a split deployment, the same Redis) that Medusa's own cart lock uses. The lock expires after
 * `leaseSeconds` unless renewed, and is renewed while `work` runs, so a crashed holder frees it and a
 * live one keeps it however long it works. Medusa's providers refuse a held lock at once rather than
 * queue for it, so this asks again with a growing pause, for at most `waitSeconds`, then throws.
 */
export async function exclusively<T>(locking: ILockingModule, key: string, timing: LockTiming, work: () => Promise<T>): Promise<T> {
  const ownerId = `payment-webhooks:${randomUUID()}`
  const expire = Math.max(1, Math.round(timing.leaseSeconds))
  const deadline = Date.now() + timing.waitSeconds * 1000
  let pause = 25
  for (;;) {
    try {
      await inSpan("lock.acquire", () => locking.acquire(key, { ownerId, expire }))
      break
    } catch (error) {
      if (!HELD_ELSEWHERE.test(errorMessage(error)) || Date.now() > deadline) {
        throw HELD_ELSEWHERE.test(errorMessage(error))
          ? new Error(`another process has been working on ${key} for longer than ${timing.waitSeconds} s`)
          : error
      }
      await new Promise((resolve) => setTimeout(resolve, pause))
      pause = Math.min(pause * 2, 500)
    }
  }
  // The owner asking again resets the expiry: a renewal. Refused means another took the lock after it ran out.
  const renewing = keepRenewing(
    () =>
      locking.acquire(key, { ownerId, expire }).then(
        () => true,
        (error: unknown) => (HELD_ELSEWHERE.test(errorMessage(error)) ? false : Promise.reject(error)),
      ),
    (expire * 1000) / 3,
  )
  try {
    return await work()
  } finally {
    renewing.stop()
    await inSpan("lock.release", () => locking.release(key, { ownerId })).catch(() => undefined)
  }
}
