import { defineMiddlewares, type PolicyAction } from "@medusajs/framework/http"
import { PolicyOperation } from "@medusajs/framework/utils"
import {
  AdminBulkReplayPaymentWebhooks,
  AdminGetPaymentWebhooksParams,
  AdminNothing,
  AdminSettlePaymentWebhook,
} from "./admin/payment-webhooks/validators"
import { validateBody, validateQuery } from "./admin/payment-webhooks/validate-request"
import { paymentWebhookEdge } from "./hooks/payment/edge-middleware"

/** A route that takes no query parameter: any is refused. */
const noQuery = validateQuery(AdminNothing, { isList: false })

/*
 * Medusa's RBAC policies, declared as its own admin routes declare them (`policies` beside the middlewares,
 * as `/admin/payments` does), on Medusa's own resources `payment` and `order`, so a store's roles cover them.
 * Medusa wraps a route in its permission check only while its `rbac` feature flag is on (`MEDUSA_FF_RBAC=true`
 * or `featureFlags: { rbac: true }`, with the module `@medusajs/medusa/rbac` registered): with the flag off,
 * `policies` is a no-op. The roles checked are those Medusa put in the admin's token at login: an admin
 * without a role, and a secret API key (whose context carries none), get 403, as on Medusa's own routes.
 * (`GET …/:id` also matches `/summary` and `/health`, with the same policy.)
 */
/** Reading deliveries: the list, one delivery, the summary, the health check, a bulk replay run. */
const readPayments: PolicyAction[] = [{ resource: "payment", operation: PolicyOperation.read }]
/** Replaying (it runs the processor, which captures, refunds and completes carts) and settling by hand. */
const updatePayments: PolicyAction[] = [{ resource: "payment", operation: PolicyOperation.update }]
/** The order widget's view: an order's deliveries, read from the order page. */
const readOrders: PolicyAction[] = [{ resource: "order", operation: PolicyOperation.read }]

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
      policies: readPayments,
    },
    { matcher: "/admin/payment-webhooks/summary", method: ["GET"], middlewares: [noQuery], policies: readPayments },
    { matcher: "/admin/payment-webhooks/health", method: ["GET"], middlewares: [noQuery], policies: readPayments },
    { matcher: "/admin/payment-webhooks/orders/:order_id", method: ["GET"], middlewares: [noQuery], policies: readOrders },
    { matcher: "/admin/payment-webhooks/:id", method: ["GET"], middlewares: [noQuery], policies: readPayments },
    {
      matcher: "/admin/payment-webhooks/replay",
      method: ["POST"],
      middlewares: [noQuery, validateBody(AdminBulkReplayPaymentWebhooks)],
      policies: updatePayments,
    },
    { matcher: "/admin/payment-webhooks/replay/:run_id", method: ["GET"], middlewares: [noQuery], policies: readPayments },
    {
      matcher: "/admin/payment-webhooks/replay/:run_id/cancel",
      method: ["POST"],
      middlewares: [noQuery, validateBody(AdminNothing)],
      policies: updatePayments,
    },
    {
      matcher: "/admin/payment-webhooks/:id/settle",
      method: ["POST"],
      middlewares: [noQuery, validateBody(AdminSettlePaymentWebhook)],
      policies: updatePayments,
    },
    {
      matcher: "/admin/payment-webhooks/:id/replay",
      method: ["POST"],
      middlewares: [noQuery, validateBody(AdminNothing)],
      policies: updatePayments,
    },
  ],
})
