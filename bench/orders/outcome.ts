import type { Client } from "pg"
import type { FakeStripe } from "../../src/testing/stripe"

/** One cart with a payment session of either provider, paid at the fake PSP. */
export type PaidCart = { cartId: string; sessionId: string; intentId: string }

/** Double captures, counted both at the PSP (captures per intent) and in Medusa (payments per session, captures per payment). */
export type CaptureAudit = {
  atPsp: number
  medusaPaymentsPerSession: number
  medusaCapturesPerPayment: number
  capturedAtPsp: number
  medusaCaptures: number
}

/** Counts carts captured more than once, at the fake PSP and in Medusa's payment tables. */
export async function auditCaptures(db: Client, fake: FakeStripe, carts: readonly PaidCart[]): Promise<CaptureAudit> {
  const sessions = carts.map((cart) => cart.sessionId)
  const counts = carts.map((cart) => fake.captureCount(cart.intentId))
  const payments = await db.query<{ count: string }>(
    `SELECT count(*) AS count FROM (SELECT payment_session_id FROM payment WHERE payment_session_id = ANY($1) AND deleted_at IS NULL
       GROUP BY payment_session_id HAVING count(*) > 1) AS doubled`,
    [sessions],
  )
  const captures = await db.query<{ doubled: string; total: string }>(
    `SELECT count(*) FILTER (WHERE captures > 1) AS doubled, coalesce(sum(captures), 0) AS total FROM (
       SELECT p.id, count(c.id) AS captures FROM payment p JOIN capture c ON c.payment_id = p.id AND c.deleted_at IS NULL
       WHERE p.payment_session_id = ANY($1) AND p.deleted_at IS NULL GROUP BY p.id) AS per_payment`,
    [sessions],
  )
  return {
    atPsp: counts.filter((count) => count > 1).length,
    capturedAtPsp: counts.reduce((sum, count) => sum + count, 0),
    medusaPaymentsPerSession: Number(payments.rows[0]?.count ?? 0),
    medusaCapturesPerPayment: Number(captures.rows[0]?.doubled ?? 0),
    medusaCaptures: Number(captures.rows[0]?.total ?? 0),
  }
}
