import Stripe from "stripe"
import { signStripePayload } from "../../providers/stripe/signature"
import { succeedSetupIntent, attachPaymentMethod } from "./api-customers"
import { mergeHeaders, postWebhook, STRIPE_WEBHOOK_HEADERS, type WebhookDelivery } from "./deliver"
import { eventObjectFor } from "./event-objects"
import { buildEvent, type BuildEventOptions, type FakeStripeEvent } from "./events"
import type { FakeDispute } from "./objects"
import {
  authorizeIntent,
  cancelIntent,
  captureIntent,
  failIntent,
  markProcessing,
  requireAction,
  resolvePaymentMethod,
  type PaymentFailure,
} from "./payment-intents"
import { closeDispute, createRefund, disputesOf, openDispute, refundsOfIntent, settleRefund } from "./refunds"
import { FakeStripeServer, type InjectedDelay, type InjectedFailure, type RecordedRequest } from "./server"
import { NO_REQUEST } from "./request"
import { StripeState } from "./state"

export type { BuildEventOptions, FakeStripeEvent } from "./events"
export type { FakeDispute } from "./objects"
export type { PaymentFailure } from "./payment-intents"
export type { InjectedDelay, InjectedFailure, RecordedRequest } from "./server"
export type { WebhookDelivery } from "./deliver"
export { TEST_CARDS } from "./objects"
export { buildStripeTriggerEvent } from "./event-builder"
export type { StripeTriggerInput } from "./event-builder"

/** Options of {@link FakeStripe}. */
export type FakeStripeOptions = {
  /** Endpoint secret(s) `deliver()` signs with by default (several → one `v1` each, as during a roll). */
  webhookSecret?: string | string[]
  /** The only API keys accepted; by default any `sk_…`/`rk_…` key is. */
  apiKeys?: string[]
  /** Clock in milliseconds, for `created` fields and idempotency-key expiry. */
  now?: () => number
  /** `api_version` of generated events; defaults to the installed SDK's pinned version. */
  apiVersion?: string
}

/** Options of {@link FakeStripe.deliver}. */
export type DeliverOptions = {
  /** Overrides the constructor's `webhookSecret`. */
  secret?: string | string[]
  /** Unix seconds for `t=`; defaults to now (pass an old one to test the tolerance). */
  timestamp?: number
  /** Extra or replacing headers; `null` removes one (e.g. `{ "Stripe-Signature": null }`). */
  headers?: Record<string, string | null>
  timeoutMs?: number
}

/**
 * A loopback Stripe API for tests and demos: a real HTTP server the real `stripe` SDK talks to,
 * with test-side controls for what the customer, the bank and the dashboard do, and a webhook
 * sender that signs like Stripe.
 */
export class FakeStripe {
  private readonly state: StripeState
  private readonly server: FakeStripeServer
  private readonly payloads = new Map<string, string>()
  private readonly sent: WebhookDelivery[] = []

  constructor(private readonly options: FakeStripeOptions = {}) {
    this.state = new StripeState(options.now ?? Date.now, options.apiVersion ?? Stripe.API_VERSION)
    this.server = new FakeStripeServer(this.state, options.apiKeys)
  }

  /** Starts the server on 127.0.0.1 at a free port; resolves with the base url `http://127.0.0.1:<port>`. */
  async start(): Promise<string> {
    await this.server.listen()
    return this.url
  }

  /** Stops the server (open keep-alive connections included). */
  async stop(): Promise<void> {
    await this.server.close()
  }

  /** The port, once started. */
  get port(): number {
    const port = this.server.port
    if (port === undefined) {
      throw new Error("FakeStripe: call start() first")
    }
    return port
  }

  /** `http://127.0.0.1:<port>`, once started. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** The `new Stripe(key, { ...fake.clientConfig() })` settings that point the SDK here. */
  clientConfig(): { host: string; port: number; protocol: "http" } {
    return { host: "127.0.0.1", port: this.port, protocol: "http" }
  }

  /** Every API request received, in order (decoded bodies; never the API key). */
  get requests(): readonly RecordedRequest[] {
    return this.server.requests
  }

  /** Every event Stripe would have generated so far, in order, each a snapshot of its moment. */
  get events(): readonly FakeStripeEvent[] {
    return this.state.events
  }

  /** Every webhook delivery made with `deliver()` / `redeliver()`, in order. */
  get deliveries(): readonly WebhookDelivery[] {
    return this.sent
  }

  /** Makes the next matching request(s) fail before running (e.g. `{ status: 500 }`; the SDK retries 5xx and 409). */
  failNext(failure: InjectedFailure): void {
    this.server.injectFailure(failure)
  }

  /** Makes the next matching request(s) wait before Stripe answers (a slow API). */
  delayNext(delay: InjectedDelay): void {
    this.server.injectDelay(delay)
  }

  /** The customer's card is authorized: `requires_capture` (manual capture) or `succeeded` (automatic). */
  authorize(intentId: string): Stripe.PaymentIntent {
    authorizeIntent(this.state, this.state.intent(intentId))
    return this.intent(intentId)
  }

  /**
   * The payment completes: captures an authorization (as the dashboard would; `amountToCapture`, in
   * minor units, captures part of it and releases the rest), or pays and captures.
   */
  succeed(intentId: string, amountToCapture?: number): Stripe.PaymentIntent {
    const intent = this.state.intent(intentId)
    if (intent.status !== "requires_capture") {
      authorizeIntent(this.state, intent)
    }
    if (intent.status === "requires_capture") {
      captureIntent(this.state, intent, amountToCapture, NO_REQUEST)
    }
    return this.intent(intentId)
  }

  /** The payment attempt is declined: back to `requires_payment_method` with `last_payment_error` (default `card_declined`). */
  fail(intentId: string, failure: PaymentFailure = {}): Stripe.PaymentIntent {
    failIntent(this.state, this.state.intent(intentId), failure)
    return this.intent(intentId)
  }

  /** The bank asks for 3-D Secure: `requires_action`. */
  requireAction(intentId: string): Stripe.PaymentIntent {
    requireAction(this.state, this.state.intent(intentId))
    return this.intent(intentId)
  }

  /** The payment is processing asynchronously: `processing`. */
  processing(intentId: string): Stripe.PaymentIntent {
    markProcessing(this.state, this.state.intent(intentId))
    return this.intent(intentId)
  }

  /**
   * A refund made in the dashboard, not through the API by the plugin (default: all that is left);
   * `status: "pending"` leaves its outcome to {@link settleRefund}.
   */
  refundFromDashboard(intentId: string, amount?: number, options: { status?: "succeeded" | "pending" } = {}): Stripe.Refund {
    return structuredClone(createRefund(this.state, { paymentIntent: intentId }, { amount, status: options.status }, NO_REQUEST))
  }

  /** A refund's later outcome: a pending one succeeds, or any refund fails and its money returns to the balance. */
  settleRefund(refundId: string, outcome: "succeeded" | "failed"): Stripe.Refund {
    return structuredClone(settleRefund(this.state, refundId, outcome))
  }

  /** A snapshot of a Refund (throws for an unknown id). */
  refund(refundId: string): Stripe.Refund {
    const refund = this.state.refunds.get(refundId)
    if (!refund) {
      throw new Error(`FakeStripe: no refund ${refundId}`)
    }
    return structuredClone(refund)
  }

  /**
   * Stripe cancels an authorization nobody captured (after 7 days for cards): the intent is `canceled`
   * with `cancellation_reason: "automatic"` and the hold on the card is released.
   */
  expireAuthorization(intentId: string): Stripe.PaymentIntent {
    cancelIntent(this.state, this.state.intent(intentId), "automatic", NO_REQUEST)
    return this.intent(intentId)
  }

  /** The cardholder disputes the captured charge (`needs_response`; evidence due in 7 days). */
  dispute(intentId: string, details: { amount?: number; reason?: string } = {}): FakeDispute {
    return structuredClone(openDispute(this.state, intentId, details))
  }

  /** The bank decides a dispute. */
  closeDispute(disputeId: string, outcome: "won" | "lost"): FakeDispute {
    return structuredClone(closeDispute(this.state, disputeId, outcome))
  }

  /** The customer completes a SetupIntent with a card, which is saved on its customer. */
  completeSetup(setupIntentId: string): Stripe.SetupIntent {
    const intent = this.state.setupIntents.get(setupIntentId)
    if (!intent) {
      throw new Error(`FakeStripe: no SetupIntent ${setupIntentId}`)
    }
    succeedSetupIntent(this.state, intent)
    return structuredClone(intent)
  }

  /** Saves a test card (default `pm_card_visa`) on a customer, as a completed checkout with "save card" would. */
  attachCard(customerId: string, card = "pm_card_visa"): Stripe.PaymentMethod {
    const method = resolvePaymentMethod(this.state, card)
    return structuredClone(attachPaymentMethod(this.state, method, customerId, NO_REQUEST))
  }

  /** A snapshot of a PaymentIntent (throws for an unknown id). */
  intent(id: string): Stripe.PaymentIntent {
    return structuredClone(this.state.intent(id))
  }

  /** A snapshot of a Charge (throws for an unknown id). */
  charge(id: string): Stripe.Charge {
    return structuredClone(this.state.charge(id))
  }

  /** How many times the intent was captured (API `/capture` or dashboard); automatic capture counts 0. */
  captureCount(intentId: string): number {
    this.state.intent(intentId)
    return this.state.captures.get(intentId) ?? 0
  }

  /** The intent's refunds, newest first. */
  refundsOf(intentId: string): Stripe.Refund[] {
    this.state.intent(intentId)
    return structuredClone(refundsOfIntent(this.state, intentId))
  }

  /** A full Stripe Event around a snapshot of `object` (also retrievable at `GET /v1/events/:id`). */
  buildEvent<T extends object>(type: string, object: T, options: BuildEventOptions = {}): FakeStripeEvent<T> {
    const event = buildEvent(type, object, { apiVersion: this.state.apiVersion, created: this.state.now(), ...options })
    this.state.builtEvents.set(event.id, event)
    return event
  }

  /**
   * The event `type` for the intent's current state (`payment_intent.*` → the intent, `charge.*` → its latest
   * charge, `refund.*` → its latest refund, `charge.dispute.*` → its latest dispute). For `charge.dispute.created`
   * with no dispute yet, one is opened; for `charge.dispute.closed` on an open one, it is closed as `lost`.
   */
  eventFor(intentId: string, type: string, options: BuildEventOptions & { includeRefunds?: boolean } = {}): FakeStripeEvent {
    if (type.startsWith("charge.dispute.")) {
      this.prepareDispute(intentId, type)
    }
    const { includeRefunds, ...eventOptions } = options
    return this.buildEvent(type, eventObjectFor(this.state, intentId, type, { includeRefunds }), eventOptions)
  }

  private prepareDispute(intentId: string, type: string): void {
    const chargeId = this.state.intent(intentId).latest_charge
    const disputes = typeof chargeId === "string" ? disputesOf(this.state, chargeId) : []
    const latest = disputes[disputes.length - 1]
    if (!latest) {
      openDispute(this.state, intentId)
    } else if (type === "charge.dispute.closed" && latest.status !== "won" && latest.status !== "lost") {
      closeDispute(this.state, latest.id, "lost")
    }
  }

  /**
   * POSTs the event to `url` as Stripe does: the JSON body (pretty-printed, and byte-identical every time the
   * same event is delivered), `Content-Type: application/json; charset=utf-8`, Stripe's User-Agent, and a
   * `Stripe-Signature` made with the configured (or given) secret. Resolves with the endpoint's answer.
   */
  async deliver(url: string, event: FakeStripeEvent | string, options: DeliverOptions = {}): Promise<WebhookDelivery> {
    const payload = typeof event === "string" ? event : this.payloadOf(event)
    const eventId = typeof event === "string" ? eventIdIn(event) : event.id
    const secret = options.secret ?? this.options.webhookSecret
    if (!secret) {
      throw new Error("FakeStripe.deliver needs a webhook secret: new FakeStripe({ webhookSecret }) or { secret }")
    }
    const signature = signStripePayload({ payload, secret, timestamp: options.timestamp ?? this.state.now() })
    const headers = mergeHeaders(STRIPE_WEBHOOK_HEADERS, { "Stripe-Signature": signature }, options.headers)
    const answer = await postWebhook(url, payload, headers, options.timeoutMs ?? 30_000)
    const sentSignature = Object.entries(headers).find(([name]) => name.toLowerCase() === "stripe-signature")?.[1] ?? null
    const delivery: WebhookDelivery = { url, eventId, payload, signature: sentSignature, ...answer }
    this.sent.push(delivery)
    return delivery
  }

  /** Sends an earlier delivery's exact body again with a fresh signature (a Stripe retry), to its url or another. */
  redeliver(delivery: WebhookDelivery, options: DeliverOptions & { url?: string } = {}): Promise<WebhookDelivery> {
    const { url, ...deliverOptions } = options
    return this.deliver(url ?? delivery.url, delivery.payload, deliverOptions)
  }

  /** The exact JSON body `deliver()` sends for an event (serialized once, then reused). */
  payloadOf(event: FakeStripeEvent): string {
    const known = this.payloads.get(event.id)
    if (known !== undefined) {
      return known
    }
    // Stripe's webhook bodies are indented with two spaces: a body re-serialized by a JSON parser won't verify.
    const payload = JSON.stringify(event, null, 2)
    this.payloads.set(event.id, payload)
    return payload
  }
}

function eventIdIn(payload: string): string | null {
  try {
    const parsed: unknown = JSON.parse(payload)
    if (typeof parsed === "object" && parsed !== null && "id" in parsed && typeof parsed.id === "string") {
      return parsed.id
    }
  } catch {
    // Not JSON: a test sending a malformed body on purpose.
  }
  return null
}
