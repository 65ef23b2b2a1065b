import { defineMiddlewares } from "@medusajs/framework/http"
import { paymentWebhookEdge } from "./hooks/payment/edge-middleware"

/**
 * The plugin's edge on Medusa's payment webhook route. The body parser keeps the raw body here
 * exactly as Medusa's own hooks route does, so the signature is checked on the bytes the PSP sent.
 */
export default defineMiddlewares({
  routes: [
    {
      matcher: "/hooks/payment/:provider",
      method: ["POST"],
      bodyParser: { preserveRawBody: true },
      middlewares: [paymentWebhookEdge],
    },
  ],
})
