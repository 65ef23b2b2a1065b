import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createCarts } from "../orders/deliver-burst"
import type { OrderStepsInput, OrderStepsResult } from "../profile/order-steps"
import { restart, STARTS, type StoreContext } from "./context"

const SCRIPT = join(__dirname, "..", "profile", "order-steps.ts")

/** Orders of each route whose figures are left out: the first, while the process warms up. */
const WARMUP_ORDERS = 8

/**
 * One order at a time on each route, step by step: `orders` carts of each provider paid at the fake
 * PSP, then, with the server stopped (nothing else runs), the store's container (`medusa exec`) takes
 * each cart's authorized event through the plugin's edge and processor, or through Medusa's provider
 * and workflow as its route's subscriber does, and then through each a second time (a PSP's retry).
 */
export async function runOrderSteps(ctx: StoreContext, orders: number): Promise<OrderStepsResult> {
  const { store, fake, seeded } = ctx
  ctx.step(`Order steps: ${orders} orders per route, one at a time`)
  const paid = async (providerId: string, label: string) =>
    (await createCarts(store, seeded, providerId, orders + WARMUP_ORDERS, label)).map((cart) => {
      fake.authorize(cart.intentId)
      return {
        sessionId: cart.sessionId,
        payload: fake.payloadOf(fake.eventFor(cart.intentId, "payment_intent.amount_capturable_updated")),
      }
    })
  const input: OrderStepsInput = {
    secret: ctx.secret,
    plugin: await paid("pp_stripe_mpw", "steps-mpw"),
    medusa: await paid("pp_stripe_stripe", "steps-medusa"),
    warmup: WARMUP_ORDERS,
  }
  const dir = mkdtempSync(join(tmpdir(), "mpw-bench-order-steps-"))
  try {
    writeFileSync(join(dir, "in.json"), JSON.stringify(input))
    await store.stop()
    await store.exec(SCRIPT, [join(dir, "in.json"), join(dir, "out.json")])
    return JSON.parse(readFileSync(join(dir, "out.json"), "utf8"))
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await restart(store, STARTS.orders)
  }
}
