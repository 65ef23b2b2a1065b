export { buildYocoTriggerEvent } from "../../testing"
export type { YocoTriggerInput } from "../../testing"

/** Every Yoco event type: all three are sent to a webhook endpoint. */
export const YOCO_EVENT_TYPES = ["payment.succeeded", "refund.succeeded", "refund.failed"] as const

/** A Yoco event type `trigger` can send. */
export type YocoEventType = (typeof YOCO_EVENT_TYPES)[number]

/** True for a type in {@link YOCO_EVENT_TYPES}. */
export function isYocoEventType(value: string): value is YocoEventType {
  return YOCO_EVENT_TYPES.some((type) => type === value)
}
