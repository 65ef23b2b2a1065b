import type { Client } from "pg"
import type { PaidCart } from "./outcome"

/** When each of `carts` became an order (epoch ms of the order row's `created_at`), by cart id. */
export async function orderTimes(db: Client, carts: readonly PaidCart[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ cart_id: string; at: string }>(
    `SELECT oc.cart_id, min(extract(epoch FROM o.created_at) * 1000) AS at
       FROM order_cart oc JOIN "order" o ON o.id = oc.order_id AND o.deleted_at IS NULL
      WHERE oc.cart_id = ANY($1) AND oc.deleted_at IS NULL GROUP BY oc.cart_id`,
    [carts.map((cart) => cart.cartId)],
  )
  return new Map(rows.map((row) => [row.cart_id, Number(row.at)]))
}

/**
 * Polls until every cart is an order, no new order came for `stallMs` (what is left will not
 * come), or `timeoutMs` passed; resolves with the carts' order times.
 */
export async function waitForOrderTimes(
  db: Client,
  carts: readonly PaidCart[],
  options: { timeoutMs: number; stallMs: number; pollMs?: number },
): Promise<Map<string, number>> {
  const deadline = Date.now() + options.timeoutMs
  let times = new Map<string, number>()
  let progressAt = Date.now()
  while (Date.now() < deadline && Date.now() - progressAt < options.stallMs) {
    const next = await orderTimes(db, carts)
    if (next.size > times.size) {
      progressAt = Date.now()
    }
    times = next
    if (times.size === carts.length) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250))
  }
  return times
}
