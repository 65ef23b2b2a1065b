import { httpUrl, positionals, required, parseCommandLine } from "../args"
import { EXIT_FAILED, EXIT_OK, UsageError, type CliContext, type Command } from "../context"
import { HANDLED_STRIPE_EVENTS } from "../../providers/stripe/events"
import { YOCO_EVENT_TYPES } from "../events/yoco"
import { sendWebhook } from "../http"
import { TRIGGER_OPTIONS, type SignedDelivery } from "./trigger-options"
import { stripeDelivery } from "./trigger-stripe"
import { yocoDelivery } from "./trigger-yoco"

const HELP = `Usage: medusa-payment-webhooks trigger <stripe|yoco> <event> --session <id> --url <webhook url> --secret <whsec_…> [options]

Sends a store's webhook endpoint exactly what the PSP would send for <event> about a payment
session: the body (Stripe: the full Event object, pretty-printed; Yoco: its event JSON), the
headers and the signature, made with the endpoint's signing secret. Prints the HTTP status and
body of the store's answer. No PSP account, tunnel or internet connection is needed: only the
store is called (and Yoco's API, to read the checkout, when a Yoco event has no --amount).

Stripe events:
  ${HANDLED_STRIPE_EVENTS.join("\n  ")}
Yoco events:
  ${YOCO_EVENT_TYPES.join("\n  ")}

Options:
  --session <id>       The Medusa payment session (payses_…): metadata.session_id of the event
  --url <url>          The store's webhook URL, e.g. http://localhost:9000/hooks/payment/stripe_stripe
  --secret <whsec_…>   The endpoint's signing secret, as the store is configured with
                       (default: STRIPE_WEBHOOK_SECRET or YOCO_WEBHOOK_SECRET from the environment)
  --amount <amount>    The session's amount in major units, e.g. 25 or 19.99 (the store refuses an
                       authorization or capture of another amount). Default: read from the PSP,
                       the PaymentIntent (--intent, STRIPE_API_KEY) or the checkout (YOCO_SECRET_KEY)
  --currency <code>    ISO currency code (Stripe default usd; Yoco default ZAR)
  --intent <pi_…>      Stripe: the session's PaymentIntent, its data.id (default: a new id;
                       required for charge.* and refund.* events)
  --checkout <ch_…>    Yoco, required: the session's checkout, its data.checkout_id
  --mode <test|live>   Yoco: payload.mode (default: the mode of YOCO_SECRET_KEY, else test)
  --event-id <id>      Reuse an event id (evt_…), e.g. to see a duplicate answered as one
  -h, --help           Show this help

Stripe: refund and dispute events carry no session id (only charges copy the intent's metadata);
the provider looks their PaymentIntent up at Stripe, so they need --intent, the session's real
PaymentIntent. refund.updated reports a refund that failed after it was sent; charge.dispute.closed
a dispute that was lost.

Yoco: the provider checks a payment.succeeded against the checkout it retrieves from the Yoco API
(amount, currency and session), so --checkout must name a real checkout of that session, created
by the store when the session started.

Reading the amount from the PSP uses STRIPE_API_KEY (and STRIPE_API_BASE_URL, if set) or
YOCO_SECRET_KEY (and YOCO_API_BASE_URL, if set), the store's own variables.

Examples:
  medusa-payment-webhooks trigger stripe payment_intent.succeeded --session payses_01J… \\
    --intent pi_3P… --amount 25 --currency usd \\
    --url http://localhost:9000/hooks/payment/stripe_stripe --secret whsec_…
  medusa-payment-webhooks trigger yoco payment.succeeded --session payses_01J… --checkout ch_… \\
    --url http://localhost:9000/hooks/payment/yoco_yoco --secret whsec_…`

async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandLine(args, TRIGGER_OPTIONS, HELP, context)
  if (!parsed) {
    return EXIT_OK
  }
  const { help: _help, ...values } = parsed.values
  const [psp, event] = positionals(parsed.positionals, ["stripe|yoco", "event"])
  const sessionId = required(values.session, "session")
  const url = httpUrl(required(values.url, "url"), "url")
  let delivery: SignedDelivery
  if (psp === "stripe") {
    delivery = await stripeDelivery(event, sessionId, values, context)
  } else if (psp === "yoco") {
    delivery = await yocoDelivery(event, sessionId, values, context)
  } else {
    throw new UsageError(`unknown PSP '${psp}'; use stripe or yoco`)
  }
  const answer = await sendWebhook(url, delivery.body, delivery.headers)
  context.out(`Sent ${psp} ${event} ${delivery.id} for session ${sessionId} to ${url}`)
  context.out(`HTTP ${answer.status}`)
  if (answer.body) {
    context.out(answer.body)
  }
  return answer.status >= 200 && answer.status < 300 ? EXIT_OK : EXIT_FAILED
}

/** `trigger <stripe|yoco> <event>`: an offline, signed test event for a real payment session. */
export const triggerCommand: Command = {
  path: ["trigger"],
  synopsis: "<stripe|yoco> <event>",
  summary: "Send a store a signed Stripe or Yoco event for a payment session",
  help: HELP,
  run,
}
