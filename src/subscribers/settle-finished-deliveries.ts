import type { Logger } from "@medusajs/framework/types"
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { sessionIdsOf, settleFinishedDeliveries } from "../webhooks/settle-finished"

const ORDER_PLACED = "order.placed"
const PAYMENT_CAPTURED = "payment.captured"

/**
 * When an order is placed or a payment captured, the authorize/capture events that led there are
 * done: they are marked `processed` at once instead of after `redriveAfterSeconds`. A failure here
 * changes nothing but the wait: the re-drive job settles them later.
 */
export default async function settleFinishedDeliveriesSubscriber({ event, container }: SubscriberArgs<{ id: string }>): Promise<void> {
  try {
    const of = event.name === PAYMENT_CAPTURED ? { paymentId: event.data.id } : { orderId: event.data.id }
    await settleFinishedDeliveries(container, await sessionIdsOf(container, of))
  } catch (error) {
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .warn(`Could not mark the payment webhooks of ${event.name} ${event.data.id} processed; the re-drive job will: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export const config: SubscriberConfig = {
  event: [ORDER_PLACED, PAYMENT_CAPTURED],
  context: { subscriberId: "payment-webhooks-settle-finished" },
}
