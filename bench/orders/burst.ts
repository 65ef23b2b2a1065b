import { seededRandom, shuffled } from "../lib/random"

/** One paid cart's webhooks: the authorized event, and (out of order) a succeeded one sent before it. */
export type CartEvents = { authorized: string; succeededFirst?: string }

/** The burst and what went into it. */
export type Burst = { payloads: string[]; duplicates: number; outOfOrder: number }

/**
 * Orders the deliveries as a PSP under load might: every authorized event once, in random order;
 * for out-of-order carts the `succeeded` event goes out before their authorized one; and
 * `duplicateRate × carts` extra copies of random authorized events (retries), some right behind
 * the original (concurrent duplicates), the rest anywhere later.
 */
export function buildBurst(carts: readonly CartEvents[], duplicateRate: number, seed = 7): Burst {
  const random = seededRandom(seed)
  const payloads = shuffled(carts, random).map((cart) => cart.authorized)
  let outOfOrder = 0
  for (const cart of carts) {
    if (cart.succeededFirst) {
      const at = payloads.indexOf(cart.authorized)
      payloads.splice(Math.floor(random() * (at + 1)), 0, cart.succeededFirst)
      outOfOrder++
    }
  }
  const duplicates = Math.round(carts.length * duplicateRate)
  for (let copy = 0; copy < duplicates; copy++) {
    const original = carts[Math.floor(random() * carts.length)].authorized
    const at = payloads.indexOf(original)
    const position = copy % 2 === 0 ? at + 1 : at + 1 + Math.floor(random() * (payloads.length - at))
    payloads.splice(position, 0, original)
  }
  return { payloads, duplicates, outOfOrder }
}
