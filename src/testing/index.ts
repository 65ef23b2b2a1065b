/**
 * The testing kit, `medusa-payment-webhooks/testing`: loopback fakes of the Stripe and Yoco APIs
 * (real HTTP servers on 127.0.0.1 that the real clients talk to) and the signing twins of the
 * verification, for a store's own tests. The same fakes this package's tests use.
 */
export { FakeStripe, buildStripeTriggerEvent } from "./stripe"
export type { FakeStripeEvent, WebhookDelivery, RecordedRequest, PaymentFailure, FakeDispute, StripeTriggerInput } from "./stripe"
export { FakeYoco, buildEvent as buildYocoEvent, newWebhookSecret as newYocoWebhookSecret, buildYocoTriggerEvent } from "./yoco"
export type { FakeYocoEvent, FakeCheckout, FakeRefund, FakeWebhook, YocoTriggerInput } from "./yoco"
export { signStripeEvent, signYocoEvent } from "./sign"
export { RecordingLogger } from "./recording-logger"
