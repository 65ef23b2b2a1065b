import { z } from "zod"

/*
 * Shapes of the Yoco Checkout API (https://payments.yoco.com/api) this plugin relies on.
 * Responses are parsed with these schemas, so a change at Yoco fails loudly in one place;
 * loose objects keep the fields we do not model.
 */

/** Checkout life cycle as Yoco reports it; only `completed` means the customer has paid. */
export type YocoCheckoutStatus = "created" | "started" | "processing" | "completed" | (string & {})

/** `POST /checkouts`, `GET /checkouts/{id}`. */
export const yocoCheckoutSchema = z.looseObject({
  id: z.string().min(1),
  /** Hosted payment page the customer is sent to. */
  redirectUrl: z.string(),
  status: z.string(),
  /** Cents. */
  amount: z.number().int(),
  currency: z.string(),
  /** Set once the checkout is paid. */
  paymentId: z.string().nullish(),
  successUrl: z.string().nullish(),
  cancelUrl: z.string().nullish(),
  failureUrl: z.string().nullish(),
  /** What we sent, plus Yoco's own `checkoutId`. */
  metadata: z.record(z.string(), z.unknown()).nullish(),
  externalId: z.string().nullish(),
  processingMode: z.enum(["live", "test"]).optional(),
})

/** A Yoco checkout. */
export type YocoCheckout = z.infer<typeof yocoCheckoutSchema>

/** Body of `POST /checkouts`. */
export type YocoCreateCheckoutInput = {
  /** Cents. */
  amount: number
  currency: "ZAR"
  successUrl?: string
  cancelUrl?: string
  failureUrl?: string
  metadata?: Record<string, string>
  externalId?: string
}

/** Body of `POST /checkouts/{id}/refund`; without `amount` Yoco refunds the whole checkout. */
export type YocoRefundInput = {
  /** Cents. */
  amount?: number
  metadata?: Record<string, string>
}

/** `202` answer of `POST /checkouts/{id}/refund`: the request is accepted, not final. */
export const yocoRefundResponseSchema = z.looseObject({
  id: z.string(),
  refundId: z.string().min(1),
  status: z.string(),
  message: z.string().optional(),
})

/** Yoco's acknowledgement of a refund request. */
export type YocoRefundResponse = z.infer<typeof yocoRefundResponseSchema>

/** A webhook subscription as `GET /webhooks` lists it. */
export const yocoWebhookSubscriptionSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  url: z.string(),
  mode: z.enum(["live", "test"]).optional(),
})

/** A registered webhook endpoint. */
export type YocoWebhookSubscription = z.infer<typeof yocoWebhookSubscriptionSchema>

/** `POST /webhooks`: the only time Yoco shows the signing secret. */
export const yocoWebhookRegistrationSchema = yocoWebhookSubscriptionSchema.extend({
  secret: z.string().startsWith("whsec_"),
})

/** A new webhook subscription with its signing secret. */
export type YocoWebhookRegistration = z.infer<typeof yocoWebhookRegistrationSchema>

/** `GET /webhooks`. */
export const yocoWebhookListSchema = z.looseObject({
  subscriptions: z.array(yocoWebhookSubscriptionSchema),
})

/** Body of `POST /webhooks`. */
export type YocoRegisterWebhookInput = { name: string; url: string }

/** The parts of a Yoco error body we surface (Yoco has used several field names). */
export const yocoErrorBodySchema = z.looseObject({
  message: z.string().optional(),
  errorMessage: z.string().optional(),
  displayMessage: z.string().optional(),
  description: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  errorCode: z.union([z.string(), z.number()]).optional(),
  errorType: z.string().optional(),
})
