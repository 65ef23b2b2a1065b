import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentWebhookEvents } from "../webhooks/effects/plugin-events"
import { redrivePaymentWebhooks } from "../webhooks/redrive"

/**
 * Carries out a delivery the plugin handles itself (failure, cancellation, refund, dispute) as
 * soon as it is recorded. If this is lost or fails, the re-drive job does the same later.
 */
export default async function carryOutRecordedDelivery({ event, container }: SubscriberArgs<{ id: string }>): Promise<void> {
  await redrivePaymentWebhooks(container, { ids: [event.data.id], olderThanSeconds: 0 })
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.DELIVERY_RECORDED,
  context: { subscriberId: "payment-webhooks-carry-out" },
}
