import type { IEventBusModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { PaymentWebhookEvents } from "../effects/plugin-events"

/**
 * Tells the processor (in this process or a worker, through the event bus) that a delivery was
 * recorded, to be taken up after `processDelayMs`. Never throws: the row is already durable, and
 * the job takes up any delivery whose announcement was lost.
 */
export function announceRecordedDelivery(container: MedusaContainer, inbox: PaymentWebhooksModuleService, id: string): void {
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  eventBus
    .emit({ name: PaymentWebhookEvents.DELIVERY_RECORDED, data: { id } }, { delay: inbox.inboxOptions.processDelayMs })
    .catch((error: unknown) => {
      container
        .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
        .warn(`Could not announce payment webhook ${id}; the job will take it up: ${errorMessage(error)}`)
    })
}
