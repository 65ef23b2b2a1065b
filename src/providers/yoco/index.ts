import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { YocoProviderService } from "./service"

/** The Yoco payment provider: `resolve: "medusa-payment-webhooks/providers/yoco"` in the payment module. */
export default ModuleProvider(Modules.PAYMENT, { services: [YocoProviderService] })
