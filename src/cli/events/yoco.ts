import { YOCO_EVENT_TYPES, type YocoEventType } from "../../providers/yoco/events"

export { buildYocoTriggerEvent } from "../../testing"
export type { YocoTriggerInput } from "../../testing"
export { YOCO_EVENT_TYPES, type YocoEventType }

/** True for a type in {@link YOCO_EVENT_TYPES}. */
export function isYocoEventType(value: string): value is YocoEventType {
  return YOCO_EVENT_TYPES.some((type) => type === value)
}
