import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "zod"
import { bulkReplay } from "../../../../webhooks/admin/bulk-replay"
import { isoInstant, parseInput } from "../query"

/** Body of `POST /admin/payment-webhooks/replay`; unknown fields are refused. */
export const bulkReplayBodySchema = z.strictObject({
  /** Rows received at or after this instant. */
  since: isoInstant,
  status: z.enum(["failed", "received", "ignored"]).default("failed"),
  provider: z.string().regex(/^[a-z0-9_-]+$/i, { message: "must be a provider identifier or key" }).optional(),
  /** Only count the rows a replay would touch. */
  dry_run: z.boolean().default(false),
  /**
   * Rows one call takes (oldest first), at most 100: they are processed inside this one request.
   * `remaining` says how many more match; call again to take them.
   */
  limit: z.number().int().min(1).max(100).default(50),
  /** The previous call's `next_after`: continue after the rows it took (those that failed again are not taken twice). */
  after: z.string().min(1).max(100).optional(),
})

/**
 * `POST /admin/payment-webhooks/replay`: replays the rows of one status (default `failed`) received
 * since a moment, through the same processor as the job; `dry_run` only counts them. Safe to repeat.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  parseInput(z.strictObject({}), req.query)
  const body = parseInput(bulkReplayBodySchema, req.body, "body")
  res.json(await bulkReplay(req.scope, body))
}
