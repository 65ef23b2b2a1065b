import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { StripeProviderService } from "./service"

/** The Stripe payment provider: `medusa-payment-webhooks/providers/stripe`, identifier `stripe`. */
export default ModuleProvider(Modules.PAYMENT, {
  services: [StripeProviderService],
})

export { StripeProviderService }
