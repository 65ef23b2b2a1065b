import type { FakeStripe } from "../../src/testing/stripe"
import type { SeededStore } from "../../integration-tests/support/seed"
import { mapPool } from "../lib/random"
import type { EventTemplate } from "../load/stripe-bodies"
import { cartWithSession } from "../orders/carts"
import { isRecord } from "../../src/lib/records"

/** Payment sessions of this plugin's provider and the `payment_intent.succeeded` bodies that name them. */
export type AckPool = {
  sessionIds: string[]
  /** One event per session, claiming the session's full amount was received (what passes the amount guard). */
  templates: EventTemplate[]
}

/** Parses a FakeStripe payload and rewrites its PaymentIntent as fully paid. */
function paidTemplate(payload: string): EventTemplate {
  const parsed: unknown = JSON.parse(payload)
  if (
    !isRecord(parsed) ||
    typeof parsed.id !== "string" ||
    typeof parsed.type !== "string" ||
    !isRecord(parsed.data) ||
    !isRecord(parsed.data.object)
  ) {
    throw new Error("FakeStripe produced an event without id, type or data.object")
  }
  const intent = parsed.data.object
  return {
    ...parsed,
    id: parsed.id,
    type: parsed.type,
    data: { object: { ...intent, status: "succeeded", amount_received: intent.amount } },
  }
}

/**
 * Creates `size` carts with a session of `pp_stripe_mpw` (so each event of the ack benchmark is
 * one the plugin verifies, checks against a real session, records and hands to Medusa's route).
 * The intents stay unpaid at the fake: should Medusa's subscriber ever run for them, it finds
 * nothing to complete, the same way for every run and both routes.
 */
export async function createAckPool(baseUrl: string, seeded: SeededStore, fake: FakeStripe, size: number): Promise<AckPool> {
  const indexes = Array.from({ length: size }, (_, index) => index)
  const carts = await mapPool(indexes, 4, (index) => cartWithSession(baseUrl, seeded, "pp_stripe_mpw", `ack-pool-${index}@bench.example`))
  return {
    sessionIds: carts.map((cart) => cart.sessionId),
    templates: carts.map((cart) => paidTemplate(fake.payloadOf(fake.eventFor(cart.intentId, "payment_intent.succeeded")))),
  }
}
