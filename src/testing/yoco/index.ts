/** Loopback fake of Yoco's Checkout API and webhook deliveries, for unit and integration tests. */
export { FakeYoco } from "./server"
export type { FakeYocoOptions, FakeDeliveryTarget, FakeDeliveryResult, FakeDelayOptions } from "./server"
export { buildEvent, deliverOnce, deliverWithRetries, messageIdOf } from "./delivery"
export type { FakeYocoEvent, FakeEventType, FakeEventOverrides, DeliverOptions, DeliveryAttempt, DeliveryReport } from "./delivery"
export { MIN_AMOUNT, newWebhookSecret } from "./state"
export type { FakeCheckout, FakeRefund, FakeWebhook, FakeMode, LoggedRequest } from "./state"
export { buildYocoTriggerEvent } from "./event-builder"
export type { YocoTriggerInput } from "./event-builder"
