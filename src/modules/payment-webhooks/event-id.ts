import { randomFillSync } from "node:crypto"
import { factory } from "ulid"

/** Random bytes drawn from the OS a pool at a time, handed out one by one. */
const pool = Buffer.alloc(4096)
let next = pool.length

/**
 * One random byte as a fraction in [0, 1): ulid's character draw floors it times 32, and 256 is a
 * multiple of 32, so every character stays uniform. ulid's default generator asks the OS for one
 * byte per character (16 system calls per id), which cost a tenth of the webhook hot path's CPU.
 */
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool)
    next = 0
  }
  return pool[next++] / 256
}

const ulid = factory(pooledRandom)

/** A new inbox row id, `pwhevt_<ULID>`: the shape Medusa's `generateEntityId` gives its own rows. */
export function newInboxEventId(): string {
  return `pwhevt_${ulid()}`
}
