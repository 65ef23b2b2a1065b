// src/subscribers/payment-alerts.ts in your store: every alert of the payment plugin, by email (or Slack, with a "slack" channel provider).
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { Modules } from "@medusajs/framework/utils"

export default async function paymentAlerts({ event, container }: SubscriberArgs<Record<string, unknown>>) {
  await container.resolve(Modules.NOTIFICATION).createNotifications({
    to: process.env.PAYMENT_ALERTS_TO ?? "payments@example.com",
    channel: "email",
    template: "payment-alert",
    data: { alert: event.name, ...event.data },
  })
}

export const config: SubscriberConfig = {
  event: ["payment-webhooks.delivery_failed", "payment-webhooks.payment_needs_attention", "payment-webhooks.backlog_stale"],
}
