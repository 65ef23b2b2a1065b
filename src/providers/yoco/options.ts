import { z } from "zod"
import { parseProviderOptions, secretList } from "../../lib/options"
import { MAX_TOLERANCE_SECONDS } from "../base/standard-webhooks"

/** `live` or `test`: decided by the secret key, and carried by every Yoco event as `payload.mode`. */
export type YocoMode = "live" | "test"

const SECRET_KEY = /^sk_(test|live)_\S+$/
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/

/** The placeholder a redirect URL may contain; replaced by the Medusa payment session id. */
export const SESSION_ID_PLACEHOLDER = "{session_id}"

/** The mode a secret key acts in. */
export function modeOfKey(secretKey: string): YocoMode {
  return secretKey.startsWith("sk_live_") ? "live" : "test"
}

/** True for an http(s) URL once `{session_id}` is substituted. */
function isRedirectUrl(value: string): boolean {
  try {
    const url = new URL(value.split(SESSION_ID_PLACEHOLDER).join("ps_placeholder"))
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

const redirectUrl = z.string().refine(isRedirectUrl, { message: "must be an http(s) URL (it may contain `{session_id}`)" }).optional()

/** Options of the Yoco provider, as written in `medusa-config.ts`. */
export const yocoOptionsSchema = z
  .object({
    /** Secret API key, `sk_test_…` or `sk_live_…`; its prefix decides the mode events must carry. */
    secretKey: z.string().regex(SECRET_KEY, { message: "must start with `sk_test_` or `sk_live_`" }),
    /**
     * Webhook signing secret(s) `whsec_…`, returned once by `POST /api/webhooks`; a list keeps the
     * old secret valid while a webhook is re-registered.
     */
    webhookSecret: z
      .union([z.string(), z.array(z.string()).min(1)])
      .refine((value) => secretList(value).every((secret) => WEBHOOK_SECRET.test(secret) && (secret.length - "whsec_".length) % 4 === 0), {
        message: "must be a `whsec_<base64>` secret (or a non-empty list of them)",
      }),
    /**
     * Largest accepted age of a webhook signature, in seconds (default 180, Yoco's recommendation).
     * At most 300, the window of the Standard Webhooks reference libraries.
     */
    webhookTolerance: z.number().int().positive().max(MAX_TOLERANCE_SECONDS).default(180),
    /** Checkout API base URL (default `https://payments.yoco.com/api`); a local fake in tests. */
    apiBaseUrl: z
      .url({ protocol: /^https?$/ })
      .default("https://payments.yoco.com/api")
      .transform((url) => url.replace(/\/+$/, "")),
    /** Where Yoco sends the customer after paying; `{session_id}` is replaced by the session id. */
    successUrl: redirectUrl,
    /** Where Yoco sends the customer who cancels; `{session_id}` is replaced by the session id. */
    cancelUrl: redirectUrl,
    /** Where Yoco sends the customer whose payment failed; `{session_id}` is replaced by the session id. */
    failureUrl: redirectUrl,
  })
  // `mode` is derived from `secretKey` (not an option): events of the other mode are not ours.
  .transform((options) => ({ ...options, mode: modeOfKey(options.secretKey) }))

/** The options a store writes (before defaults). */
export type YocoOptionsInput = z.input<typeof yocoOptionsSchema>

/** Validated Yoco options with their defaults applied and the key's `mode` derived. */
export type YocoOptions = z.output<typeof yocoOptionsSchema>

/** Validates raw options; throws a MedusaError (INVALID_DATA) that names the bad option. */
export function parseYocoOptions(input: unknown): YocoOptions {
  return parseProviderOptions(yocoOptionsSchema, input, "Yoco provider")
}

/** Replaces every `{session_id}` in a configured redirect URL. */
export function redirectUrlFor(template: string | undefined, sessionId: string): string | undefined {
  return template?.split(SESSION_ID_PLACEHOLDER).join(encodeURIComponent(sessionId))
}
