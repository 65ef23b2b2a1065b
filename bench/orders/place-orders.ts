import type { SeededStore } from "../../integration-tests/support/seed"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { FakeStripe } from "../../src/testing/stripe"
import { withDb } from "../store/db"
import { createCarts, deliverBurst } from "./deliver-burst"

/**
 * Places `count` orders paid with the plugin's Stripe provider as the delivery phase does: carts with
 * a session, paid at the fake PSP, their authorized webhooks sent to the plugin's route (no
 * duplicates, in order), and the processor makes the orders; so each order has its payment and its
 * deliveries in the inbox. The store must run with its processor on (the default settings). Answers
 * the orders' ids, in the carts' order; throws if a cart got no order.
 */
export async function placeOrders(
  store: StoreProcess,
  fake: FakeStripe,
  seeded: SeededStore,
  secret: string,
  count: number,
  label: string,
): Promise<string[]> {
  const carts = await createCarts(store, seeded, "pp_stripe_mpw", count, label)
  const run = await deliverBurst(store, fake, carts, "stripe_mpw", {
    secret,
    shape: { duplicateRate: 0, outOfOrderRate: 0, concurrency: 8 },
    wait: { timeoutMs: 300_000, stallMs: 60_000, settleMs: 3000 },
  })
  if (run.lost) {
    throw new Error(`${run.lost} of ${count} carts got no order`)
  }
  const cartIds = carts.map((cart) => cart.cartId)
  const { rows } = await withDb(store.databaseUrl, (db) =>
    db.query<{ cart_id: string; order_id: string }>(
      "SELECT cart_id, order_id FROM order_cart WHERE cart_id = ANY($1) AND deleted_at IS NULL",
      [cartIds],
    ),
  )
  const orderOf = new Map(rows.map((row) => [row.cart_id, row.order_id]))
  return cartIds.map((cartId) => {
    const orderId = orderOf.get(cartId)
    if (!orderId) {
      throw new Error(`Cart ${cartId} has no order`)
    }
    return orderId
  })
}
