// Medusa's own zod (4.2), not the plugin's: `validateAndTransformQuery`/`validateAndTransformBody` are typed
// against it, and checking a schema of the plugin's zod against them runs the type-checker out of memory.
import { z } from "@medusajs/framework/zod"
import type { BulkReplayRequest, PaymentWebhookListQuery, PaymentWebhookSettleRequest } from "../../../types/admin-api"
import { COUNT_CAP } from "../../../modules/payment-webhooks/admin-statements"

/**
 * A refusal that names its field, as Medusa's own messages do ("Field 'limit' …"). Medusa passes a
 * custom message on as it is, and zod words an issue once its path is known, so the path is the field's.
 */
const naming = (text: string) => ({ error: (issue: { path?: PropertyKey[] }) => `Field '${(issue.path ?? []).join(".")}' ${text}` })

/** A point in time as a request gives it: an ISO date (`2026-11-29`, midnight UTC) or date-time (with its offset, or UTC). */
const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], naming("must be an ISO date or date-time"))
  .transform((value) => new Date(value))

/** A route key (`stripe_stripe`, also as `pp_stripe_stripe`) or a provider identifier (`stripe`, `yoco`). */
const provider = z.string().regex(/^[a-z0-9_-]+$/i, naming("must be a provider identifier or key"))

/**
 * Query of `GET /admin/payment-webhooks`; unknown parameters are refused, so a misspelt filter never
 * lists everything. Its fields are the contract's, no more, no fewer.
 */
export const AdminGetPaymentWebhooksParams = z.strictObject({
  provider: provider.optional(),
  status: z.enum(["received", "processed", "ignored", "failed"]).optional(),
  source: z.enum(["webhook", "reconciliation"]).optional(),
  session_id: z.string().min(1).optional(),
  order_id: z.string().min(1).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  received_from: isoInstant.optional(),
  received_to: isoInstant.optional(),
  needs_attention: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  // The list pages no deeper than it counts: past 10 000 rows, a narrower filter finds a row sooner than paging.
  offset: z.coerce.number().int().min(0).max(COUNT_CAP).default(0),
} satisfies Record<keyof PaymentWebhookListQuery, z.ZodType>)

/** The validated list query, defaults applied. */
export type AdminGetPaymentWebhooksParamsType = z.output<typeof AdminGetPaymentWebhooksParams>

/** The query of the routes that take none, and the body of a single replay: any field is refused. */
export const AdminNothing = z.strictObject({})

/** Body of `POST /admin/payment-webhooks/:id/settle`: what the person did, in a few words (kept on the timeline). */
export const AdminSettlePaymentWebhook = z.strictObject({
  note: z.string().trim().min(3, naming("must say how it was settled (3 characters or more)")).max(500),
} satisfies Record<keyof PaymentWebhookSettleRequest, z.ZodType>)

/** The validated settle body. */
export type AdminSettlePaymentWebhookType = z.output<typeof AdminSettlePaymentWebhook>

/** Body of `POST /admin/payment-webhooks/replay`; unknown fields are refused. Its fields are the contract's. */
export const AdminBulkReplayPaymentWebhooks = z.strictObject({
  since: isoInstant,
  status: z.enum(["failed", "received", "ignored"]).default("failed"),
  provider: provider.optional(),
  dry_run: z.boolean().default(false),
  /**
   * At most 100: the rows a dry run counts (oldest first; `remaining` says how many more match), or the
   * rows a real run takes per batch (it takes every row that matches, and writes its progress after each batch).
   */
  limit: z.number().int().min(1).max(100).default(50),
  after: z.string().min(1).max(100).optional(),
} satisfies Record<keyof BulkReplayRequest, z.ZodType>)

/** The validated bulk replay body, defaults applied. */
export type AdminBulkReplayPaymentWebhooksType = z.output<typeof AdminBulkReplayPaymentWebhooks>
