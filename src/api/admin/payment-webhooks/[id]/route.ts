import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { z } from "zod"
import { paymentWebhookDetail } from "../../../../webhooks/admin/detail"
import { parseInput } from "../query"

/**
 * `GET /admin/payment-webhooks/:id`: one delivery with its timeline (received, each attempt with its
 * error and the process it ran on, the verdict, replays) and the event as the processor mapped it. 404 for an unknown id.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  parseInput(z.strictObject({}), req.query)
  res.json(await paymentWebhookDetail(req.scope, req.params.id))
}
