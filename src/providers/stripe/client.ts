import Stripe from "stripe"
import type { StripeOptions } from "./options"

/** Builds the real Stripe SDK client, pointed at `apiBaseUrl` when one is set (a fake or stripe-mock). */
export function createStripeClient(options: StripeOptions): Stripe {
  return new Stripe(options.apiKey, stripeClientConfig(options))
}

/**
 * A client for one call that `signal` may cancel: the same key, host, retries and timeout as
 * {@link createStripeClient}, on the SDK's fetch transport, each request (retries included) tied to
 * `signal`. The SDK's per-request options have no way to cancel a call, and its own timeout runs per
 * attempt; aborting the fetch closes the connection, so a hung Stripe holds no socket once the caller
 * has given up. Building a client costs well under a millisecond.
 */
export function createAbortableStripeClient(options: StripeOptions, signal: AbortSignal): Stripe {
  const httpClient = Stripe.createFetchHttpClient((input, init) =>
    // The SDK passes its own per-attempt timeout signal: the request ends at whichever fires first.
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  )
  return new Stripe(options.apiKey, { ...stripeClientConfig(options), httpClient })
}

/** The SDK settings every client of the provider shares. */
function stripeClientConfig(options: StripeOptions): Stripe.StripeConfig {
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "medusa-payment-webhooks" },
  }
  if (options.apiBaseUrl) {
    const url = new URL(options.apiBaseUrl)
    const protocol = url.protocol === "http:" ? "http" : "https"
    config.host = url.hostname
    config.protocol = protocol
    config.port = url.port || (protocol === "http" ? 80 : 443)
  }
  return config
}

/** The part of a PaymentIntent kept in Medusa's session data: what the storefront and later calls need, no card data. */
export type IntentSnapshot = {
  id: string
  client_secret: string | null
  status: Stripe.PaymentIntent.Status
  amount: number
  amount_capturable: number
  amount_received: number
  currency: string
  capture_method: Stripe.PaymentIntent.CaptureMethod
  customer: string | null
  payment_method: string | null
  latest_charge: string | null
  metadata: Record<string, string>
  last_payment_error: { code?: string; decline_code?: string; message?: string } | null
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) {
    return null
  }
  return typeof value === "string" ? value : value.id
}

/** Projects a PaymentIntent to the {@link IntentSnapshot} stored on the session. */
export function snapshotIntent(intent: Stripe.PaymentIntent): IntentSnapshot {
  const error = intent.last_payment_error
  return {
    id: intent.id,
    client_secret: intent.client_secret,
    status: intent.status,
    amount: intent.amount,
    amount_capturable: intent.amount_capturable,
    amount_received: intent.amount_received,
    currency: intent.currency,
    capture_method: intent.capture_method,
    customer: idOf(intent.customer),
    payment_method: idOf(intent.payment_method),
    latest_charge: idOf(intent.latest_charge),
    metadata: intent.metadata ?? {},
    last_payment_error: error
      ? { code: error.code ?? undefined, decline_code: error.decline_code ?? undefined, message: error.message ?? undefined }
      : null,
  }
}
