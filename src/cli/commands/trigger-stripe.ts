import { createStripeClient } from "../../providers/stripe/client"
import { parseStripeOptions } from "../../providers/stripe/options"
import { signStripeEvent } from "../../testing/sign"
import { STRIPE_WEBHOOK_HEADERS } from "../../testing/stripe/deliver"
import { messageOf, UsageError, type CliContext } from "../context"
import { HANDLED_STRIPE_EVENTS } from "../../providers/stripe/events"
import { buildStripeTriggerEvent, isStripeEventType } from "../events/stripe"
import { majorAmount, minorAmount, secretOf, type SignedDelivery, type TriggerValues } from "./trigger-options"

/** Amount (minor units) and currency of the event. */
type IntentFacts = { amount: number; currency: string }

/**
 * The amount and currency: from the command line, or read from the PaymentIntent at Stripe when
 * `--amount` is omitted (the store refuses an event whose amount differs from the session's).
 */
async function intentFacts(values: TriggerValues, context: CliContext, secret: string): Promise<IntentFacts> {
  const amount = majorAmount(values.amount)
  if (amount !== undefined) {
    const currency = values.currency ?? "usd"
    return { amount: minorAmount(amount, currency), currency }
  }
  const apiKey = context.env.STRIPE_API_KEY
  if (!values.intent || !apiKey) {
    throw new UsageError("--amount is required (the session's amount), unless --intent and STRIPE_API_KEY are set to read it from Stripe")
  }
  let options: ReturnType<typeof parseStripeOptions>
  try {
    options = parseStripeOptions({ apiKey, webhookSecret: secret, apiBaseUrl: context.env.STRIPE_API_BASE_URL || undefined })
  } catch (error) {
    throw new UsageError(messageOf(error))
  }
  const intent = await createStripeClient(options).paymentIntents.retrieve(values.intent)
  return { amount: intent.amount, currency: values.currency ?? intent.currency }
}

/** The Stripe delivery for `trigger stripe <event>`: the pretty-printed Event, Stripe's headers and `Stripe-Signature`. */
export async function stripeDelivery(
  event: string,
  sessionId: string,
  values: TriggerValues,
  context: CliContext,
): Promise<SignedDelivery> {
  if (!isStripeEventType(event)) {
    throw new UsageError(`'${event}' is not a Stripe event this plugin handles; one of: ${HANDLED_STRIPE_EVENTS.join(", ")}`)
  }
  if (!event.startsWith("payment_intent.") && !values.intent) {
    // Refunds and disputes carry no session id: the provider finds it on the PaymentIntent at Stripe.
    throw new UsageError(`--intent is required for ${event}: the session's PaymentIntent, which the provider looks up at Stripe`)
  }
  const secret = secretOf(values, context, "STRIPE_WEBHOOK_SECRET")
  const facts = await intentFacts(values, context, secret)
  const built = buildStripeTriggerEvent({ type: event, sessionId, ...facts, intentId: values.intent, eventId: values["event-id"] })
  const signed = signStripeEvent(built, { secret })
  // Stripe's own header set (User-Agent, Accept…), with the signature the kit computed.
  return { id: built.id, body: signed.body, headers: { ...STRIPE_WEBHOOK_HEADERS, "Stripe-Signature": signed.headers["stripe-signature"] } }
}
