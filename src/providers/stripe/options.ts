import { z } from "zod"
import { parseProviderOptions, webhookSecretsSchema } from "../../lib/options"

/** Options of the Stripe provider, as written in `medusa-config.ts`. */
export const stripeOptionsSchema = z.object({
  /** Secret API key (`sk_live_…`, `sk_test_…` or a restricted `rk_…` key). */
  apiKey: z.string().min(1),
  /** Endpoint signing secret(s) `whsec_…`; a list keeps the old secret valid while Stripe rolls it. */
  webhookSecret: webhookSecretsSchema,
  /** Capture automatically when the customer pays (default false: authorize now, capture from the admin). */
  capture: z.boolean().default(false),
  /** Largest accepted age of a webhook signature, in seconds (default 300, Stripe's own). */
  webhookTolerance: z.number().int().positive().default(300),
  /** Another Stripe API host, e.g. `http://127.0.0.1:12111` for stripe-mock or a local fake. */
  apiBaseUrl: z.url().optional(),
  /** Let Stripe choose payment methods from the dashboard settings (`automatic_payment_methods`). */
  automaticPaymentMethods: z.boolean().default(false),
  /** Description put on every PaymentIntent (shown in the Stripe dashboard). */
  paymentDescription: z.string().optional(),
})

/** Validated Stripe options with their defaults applied. */
export type StripeOptions = z.output<typeof stripeOptionsSchema>

/** Validates raw options; throws a MedusaError that names the bad option. */
export function parseStripeOptions(input: unknown): StripeOptions {
  return parseProviderOptions(stripeOptionsSchema, input, "Stripe provider")
}
