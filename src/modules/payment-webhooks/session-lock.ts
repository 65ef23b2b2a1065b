import { randomUUID } from "node:crypto"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { keepRenewing } from "../../lib/keep-renewing"

/** How long a lock holds, and how long to wait for one. */
export type LockTiming = { leaseSeconds: number; waitSeconds: number }

/** Takes the lock if it is free or its holder's lease ran out; true when `holder` has it. */
async function tryLock(manager: SqlEntityManager, key: string, holder: string, leaseSeconds: number): Promise<boolean> {
  const rows = await manager.execute<Array<{ holder: string }>>(
    `INSERT INTO payment_webhook_lock (id, holder, expires_at, created_at, updated_at)
     VALUES (?, ?, now() + make_interval(secs => ?), now(), now())
     ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at, updated_at = now()
     WHERE payment_webhook_lock.expires_at < now()
     RETURNING holder`,
    [key, holder, leaseSeconds]
  )
  return rows[0]?.holder === holder
}

/**
 * Runs `work` alone for `key` across every process on this database (the in-memory locking Medusa
 * defaults to holds only within one process). The lock is a row of `payment_webhook_lock` with an
 * expiry, so no connection is held while `work` runs; waits at most `waitSeconds` for it, polling
 * with a growing pause, then throws.
 */
export async function runExclusively<T>(manager: SqlEntityManager, key: string, timing: LockTiming, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID()
  const deadline = Date.now() + timing.waitSeconds * 1000
  let pause = 25
  while (!(await tryLock(manager, key, holder, timing.leaseSeconds))) {
    if (Date.now() > deadline) {
      throw new Error(`another process has been working on ${key} for longer than ${timing.waitSeconds} s`)
    }
    await new Promise((resolve) => setTimeout(resolve, pause))
    pause = Math.min(pause * 2, 500)
  }
  // Held as long as the work runs, however long that is: a second processor never takes the lock from a live one.
  const renewing = keepRenewing(() => renewLock(manager, key, holder, timing.leaseSeconds), (timing.leaseSeconds * 1000) / 3)
  try {
    return await work()
  } finally {
    renewing.stop()
    await manager.execute(`DELETE FROM payment_webhook_lock WHERE id = ? AND holder = ?`, [key, holder])
  }
}

/** Extends the lock by `leaseSeconds` while `holder` still has it; false once it does not. */
async function renewLock(manager: SqlEntityManager, key: string, holder: string, leaseSeconds: number): Promise<boolean> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE payment_webhook_lock SET expires_at = now() + make_interval(secs => ?), updated_at = now() WHERE id = ? AND holder = ? RETURNING id`,
    [leaseSeconds, key, holder]
  )
  return rows.length > 0
}
