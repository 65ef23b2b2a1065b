import { HANDLED_STRIPE_EVENTS, type HandledStripeEventType } from "../../providers/stripe/events"

export { buildStripeTriggerEvent } from "../../testing"
export type { StripeTriggerInput } from "../../testing"

/** True for a Stripe event type the provider handles ({@link HANDLED_STRIPE_EVENTS}), the ones `trigger` can send. */
export function isStripeEventType(value: string): value is HandledStripeEventType {
  return HANDLED_STRIPE_EVENTS.some((type) => type === value)
}
