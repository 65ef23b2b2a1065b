import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { PaymentWebhooksHealth } from "../../../../types/admin-api"
import { healthReport } from "../../../../webhooks/health/report"

/**
 * `GET /admin/payment-webhooks/health`: when the job last ran and on which process kind, the backlog
 * and its oldest age, the day's failures, this package's providers and whether each has a webhook
 * secret, and the backends of the modules servers and a worker must share. `503` when the job has
 * not finished a pass for three of its periods (or never ran) or the inbox cannot be read, so an
 * uptime check can watch it; `200` otherwise, `status: "degraded"` with the problems to fix. Takes no
 * query parameters: an unknown one is a 400, as on the other routes.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse<PaymentWebhooksHealth>): Promise<void> {
  const report = await healthReport(req.scope)
  res
    .set("cache-control", "no-store")
    .status(report.status === "failing" ? 503 : 200)
    .json(report)
}
