import { container, type SubscriberArgs, type SubscriberConfig } from "@medusajs/framework"
import { PaymentWebhookEvents } from "../webhooks/effects/plugin-events"
import { announceServedProvidersAtStart } from "../webhooks/edge/webhook-sources"
import { processDelivery } from "../webhooks/processor/process-delivery"

// A worker (which loads no routes) names the providers the inbox serves once the store has started, too.
announceServedProvidersAtStart(container)

/**
 * Takes up a delivery `processDelayMs` after the edge recorded it. Should this be lost (a restart,
 * an event bus outage) or fail, the job takes the row up later: the row, not this event, is the truth.
 */
export default async function processRecordedDelivery({ event, container }: SubscriberArgs<{ id: string }>): Promise<void> {
  await processDelivery(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.DELIVERY_RECORDED,
  context: { subscriberId: "payment-webhooks-process" },
}
