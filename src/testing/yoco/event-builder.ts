import { buildEvent, type FakeEventType, type FakeYocoEvent } from "./delivery"
import { newId, type FakeCheckout, type FakeMode } from "./state"

/** What {@link buildYocoTriggerEvent} builds an event about. */
export type YocoTriggerInput = {
  type: FakeEventType
  /** The Medusa payment session, as the provider put it in the checkout's metadata. */
  sessionId: string
  /** The session's checkout (`ch_…`, its `data.checkout_id`). */
  checkoutId: string
  /** Cents. */
  amount: number
  currency: string
  mode: FakeMode
  /** The checkout's payment (`p_…`), when known. */
  paymentId?: string | null
  /** Reuse an event id (and so the `webhook-id`), to see a duplicate delivery answered as one. */
  eventId?: string
}

/**
 * The event Yoco sends about the session's checkout: `{ id, type, createdDate, payload }` with the
 * payment (or refund) in `payload`, `payload.mode`, and `payload.metadata` holding the checkout's
 * metadata plus `checkoutId`, as Yoco echoes them.
 */
export function buildYocoTriggerEvent(input: YocoTriggerInput): FakeYocoEvent {
  const checkout: FakeCheckout = {
    id: input.checkoutId,
    redirectUrl: "",
    status: "completed",
    amount: input.amount,
    currency: input.currency.toUpperCase(),
    paymentId: input.paymentId ?? newId("p"),
    metadata: { session_id: input.sessionId },
    processingMode: input.mode,
    refunds: [],
  }
  // A refund event gets a new refund id and the checkout's amount, and its status from its type.
  return buildEvent(input.type, checkout, { overrides: input.eventId ? { id: input.eventId } : undefined })
}
