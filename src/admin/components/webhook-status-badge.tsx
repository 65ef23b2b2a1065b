import { StatusBadge } from "@medusajs/ui"
import type { PaymentWebhookStatus } from "../../types/admin-api"

const COLORS: Record<PaymentWebhookStatus, "green" | "red" | "orange" | "grey"> = {
  processed: "green",
  failed: "red",
  received: "orange",
  ignored: "grey",
}

/** A delivery's status as a coloured badge (green processed, red failed, orange waiting, grey ignored). */
export function WebhookStatusBadge({ status }: { status: PaymentWebhookStatus }) {
  return (
    <StatusBadge color={COLORS[status] ?? "grey"} data-testid="webhook-status" data-status={status}>
      {status}
    </StatusBadge>
  )
}
