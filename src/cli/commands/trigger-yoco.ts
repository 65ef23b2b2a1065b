import { modeOfKey } from "../../providers/yoco/options"
import { signYocoEvent } from "../../testing/sign"
import { messageIdOf } from "../../testing/yoco/delivery"
import { messageOf, UsageError, type CliContext } from "../context"
import { yocoClientFromEnv } from "./yoco-client"
import { buildYocoTriggerEvent, isYocoEventType, YOCO_EVENT_TYPES } from "../events/yoco"
import { majorAmount, minorAmount, secretOf, type SignedDelivery, type TriggerValues } from "./trigger-options"

/** What the event needs to know about the checkout. */
type CheckoutFacts = { amount: number; currency: string; mode: "live" | "test"; paymentId?: string | null }

function modeOption(value: string | undefined): "live" | "test" | undefined {
  if (value !== undefined && value !== "live" && value !== "test") {
    throw new UsageError(`--mode must be test or live, got '${value}'`)
  }
  return value
}

/**
 * The checkout's amount, currency, mode and payment: from the command line, or read from Yoco when
 * `--amount` is omitted (the provider compares the event with the checkout, so a guess would be refused).
 */
async function checkoutFacts(checkoutId: string, values: TriggerValues, context: CliContext): Promise<CheckoutFacts> {
  const secretKey = context.env.YOCO_SECRET_KEY
  const mode = modeOption(values.mode)
  const amount = majorAmount(values.amount)
  if (amount !== undefined) {
    const currency = values.currency ?? "ZAR"
    return { amount: minorAmount(amount, currency), currency, mode: mode ?? (secretKey ? modeOfKey(secretKey) : "test") }
  }
  if (!secretKey) {
    throw new UsageError("--amount is required for Yoco unless YOCO_SECRET_KEY is set to read the checkout's amount from Yoco")
  }
  const { client, mode: keyMode } = yocoClientFromEnv(context)
  const checkout = await client.getCheckout(checkoutId)
  return {
    amount: checkout.amount,
    currency: values.currency ?? checkout.currency,
    mode: mode ?? checkout.processingMode ?? keyMode,
    paymentId: checkout.paymentId,
  }
}

/** The Yoco delivery for `trigger yoco <event>`: Yoco's event JSON and the Standard Webhooks headers. */
export async function yocoDelivery(event: string, sessionId: string, values: TriggerValues, context: CliContext): Promise<SignedDelivery> {
  if (!isYocoEventType(event)) {
    throw new UsageError(`'${event}' is not a Yoco event; one of: ${YOCO_EVENT_TYPES.join(", ")}`)
  }
  const checkoutId = values.checkout
  if (!checkoutId) {
    throw new UsageError("--checkout is required for Yoco: the session's checkout id (its data.checkout_id)")
  }
  const secret = secretOf(values, context, "YOCO_WEBHOOK_SECRET")
  const facts = await checkoutFacts(checkoutId, values, context)
  const built = buildYocoTriggerEvent({ type: event, sessionId, checkoutId, ...facts, eventId: values["event-id"] })
  try {
    // The webhook-id is derived from the event id, as Yoco keeps it across retries.
    const signed = signYocoEvent(built, { secret, id: messageIdOf(built) })
    return { id: built.id, body: signed.body, headers: signed.headers }
  } catch (error) {
    throw new UsageError(`--secret: ${messageOf(error)}`)
  }
}
