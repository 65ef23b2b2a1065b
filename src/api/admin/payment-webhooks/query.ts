import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

/** Query of `GET /admin/payment-webhooks`; unknown parameters are refused, so a misspelt filter never lists everything. */
export const listPaymentWebhooksQuerySchema = z.strictObject({
  /** A route key (`stripe_stripe`, also as `pp_stripe_stripe`) or a provider identifier (`stripe`, `yoco`). */
  provider: z.string().regex(/^[a-z0-9_-]+$/i, { message: "must be a provider identifier or key" }).optional(),
  status: z.enum(["received", "processed", "ignored", "failed"]).optional(),
  /** `webhook` deliveries, or events found by `reconciliation` with the PSP. */
  source: z.enum(["webhook", "reconciliation"]).optional(),
  session_id: z.string().min(1).optional(),
  /** The order's payment sessions (order → payment collections → payment sessions). */
  order_id: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})

/** A validated list query, with the defaults applied. */
export type ListPaymentWebhooksQuery = z.output<typeof listPaymentWebhooksQuerySchema>

/** Validates the query; a bad one is a 400 naming the parameter. */
export function parseListQuery(query: unknown): ListPaymentWebhooksQuery {
  const result = listPaymentWebhooksQuerySchema.safeParse(query)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue.path.length ? `\`${issue.path.join(".")}\`: ` : ""
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid query: ${where}${issue.message}`)
  }
  return result.data
}
