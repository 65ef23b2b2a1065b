import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

/** A point in time as a query gives it: an ISO date (`2026-11-29`, midnight UTC) or date-time (with its offset, or UTC). */
export const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { message: "must be an ISO date or date-time" })
  .transform((value) => new Date(value))

/** Query of `GET /admin/payment-webhooks`; unknown parameters are refused, so a misspelt filter never lists everything. */
export const listPaymentWebhooksQuerySchema = z.strictObject({
  /** A route key (`stripe_stripe`, also as `pp_stripe_stripe`) or a provider identifier (`stripe`, `yoco`). */
  provider: z.string().regex(/^[a-z0-9_-]+$/i, { message: "must be a provider identifier or key" }).optional(),
  status: z.enum(["received", "processed", "ignored", "failed"]).optional(),
  /** `webhook` deliveries, or events found by `reconciliation` with the PSP. */
  source: z.enum(["webhook", "reconciliation"]).optional(),
  session_id: z.string().min(1).optional(),
  /** The order's deliveries: those of its payment sessions, or of its payments' PSP ids (as the order widget shows them). */
  order_id: z.string().min(1).optional(),
  /** Exact match on the row id, session id, order id (through its sessions), PSP event id or PSP payment id (`pi_…`, `ch_…`). */
  q: z.string().trim().min(1).max(200).optional(),
  /** Received at or after this instant. */
  received_from: isoInstant.optional(),
  /** Received before this instant. */
  received_to: isoInstant.optional(),
  /** Only the rows a person must look at (`true`), or only the others (`false`). */
  needs_attention: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})

/** A validated list query, with the defaults applied. */
export type ListPaymentWebhooksQuery = z.output<typeof listPaymentWebhooksQuerySchema>

/** Validates a query or body against `schema`; a bad one is a 400 naming the parameter. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = "query"): z.output<T> {
  const result = schema.safeParse(input ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue.path.length ? `\`${issue.path.join(".")}\`: ` : ""
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid ${what}: ${where}${issue.message}`)
  }
  return result.data
}

/** Validates the list query; a bad one is a 400 naming the parameter. */
export function parseListQuery(query: unknown): ListPaymentWebhooksQuery {
  return parseInput(listPaymentWebhooksQuerySchema, query)
}
