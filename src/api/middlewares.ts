import { defineMiddlewares } from "@medusajs/framework/http"
import { AdminBulkReplayPaymentWebhooks, AdminGetPaymentWebhooksParams, AdminNothing } from "./admin/payment-webhooks/validators"
import { validateBody, validateQuery } from "./admin/payment-webhooks/validate-request"
import { paymentWebhookEdge } from "./hooks/payment/edge-middleware"

/** A route that takes no query parameter: any is refused. */
const noQuery = validateQuery(AdminNothing, { isList: false })

/**
 * The plugin's edge on Medusa's payment webhook route. The body parser keeps the raw body here
 * exactly as Medusa's own hooks route does, so the signature is checked on the bytes the PSP sent.
 *
 * The admin routes' requests are validated here, as Medusa's own admin routes do it; an unknown
 * parameter or field is a 400 naming it. (`GET /admin/payment-webhooks/:id` also matches `/summary`
 * and `/health`: their queries are checked twice, against the same empty schema.)
 */
export default defineMiddlewares({
  routes: [
    {
      matcher: "/hooks/payment/:provider",
      method: ["POST"],
      bodyParser: { preserveRawBody: true },
      middlewares: [paymentWebhookEdge],
    },
    {
      matcher: "/admin/payment-webhooks",
      method: ["GET"],
      middlewares: [validateQuery(AdminGetPaymentWebhooksParams, { isList: true })],
    },
    { matcher: "/admin/payment-webhooks/summary", method: ["GET"], middlewares: [noQuery] },
    { matcher: "/admin/payment-webhooks/health", method: ["GET"], middlewares: [noQuery] },
    { matcher: "/admin/payment-webhooks/orders/:order_id", method: ["GET"], middlewares: [noQuery] },
    { matcher: "/admin/payment-webhooks/:id", method: ["GET"], middlewares: [noQuery] },
    {
      matcher: "/admin/payment-webhooks/replay",
      method: ["POST"],
      middlewares: [noQuery, validateBody(AdminBulkReplayPaymentWebhooks)],
    },
    {
      matcher: "/admin/payment-webhooks/:id/replay",
      method: ["POST"],
      middlewares: [noQuery, validateBody(AdminNothing)],
    },
  ],
})
