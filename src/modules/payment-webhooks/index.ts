import { Module } from "@medusajs/framework/utils"
import warnSplitTopology from "./loaders/warn-split-topology"
import PaymentWebhooksModuleService from "./service"

/** Container key of the inbox module. */
export const PAYMENT_WEBHOOKS_MODULE = "paymentWebhooks"

/** The webhook inbox: every delivery of this plugin's providers, recorded, deduplicated and re-driven. */
export default Module(PAYMENT_WEBHOOKS_MODULE, {
  service: PaymentWebhooksModuleService,
  loaders: [warnSplitTopology],
})

export { PaymentWebhooksModuleService }
