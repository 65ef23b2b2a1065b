import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import type { DeliveryRecordInput, DeliveryVerdict } from "../../src/modules/payment-webhooks/types"
import { until } from "./until"

/** The inbox row of one PSP event, if recorded. */
export async function rowOfEvent(inbox: PaymentWebhooksModuleService, providerId: string, eventId: string) {
  const [row] = await inbox.listPaymentWebhookEvents({ provider_id: providerId, event_id: eventId })
  return row
}

/** Waits until the processor has settled one PSP event's row, and returns it. */
export function settledRowOfEvent(inbox: PaymentWebhooksModuleService, providerId: string, eventId: string, timeoutMs = 60_000) {
  return until(
    () => rowOfEvent(inbox, providerId, eventId),
    (row) => !!row && row.status !== "received",
    `event ${eventId} settled`,
    timeoutMs,
  )
}

/** Records a delivery and settles it as the processor would have (for tests of lists, status and replay). */
export async function recordSettled(
  inbox: PaymentWebhooksModuleService,
  input: DeliveryRecordInput,
  verdict: DeliveryVerdict,
): Promise<string> {
  const { id } = await inbox.recordDelivery(input)
  const claim = await inbox.claim(id, { evenIfBackingOff: true })
  if (!claim || !(await inbox.settle(claim, verdict))) {
    throw new Error(`could not settle test row ${id}`)
  }
  return id
}
