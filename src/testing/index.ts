/**
 * The testing kit, `medusa-payment-webhooks/testing`: loopback fakes of the Stripe and Yoco APIs
 * (real HTTP servers on 127.0.0.1 that the real clients talk to) and the signing twins of the
 * verification, for a store's own tests. The same fakes this package's tests use.
 */
export { FakeStripe } from "./stripe"
export type { FakeStripeEvent, WebhookDelivery, RecordedRequest, PaymentFailure, FakeDispute } from "./stripe"
export { FakeYoco, buildEvent as buildYocoEvent, newWebhookSecret as newYocoWebhookSecret } from "./yoco"
export type { FakeYocoEvent, FakeCheckout, FakeRefund, FakeWebhook } from "./yoco"
export { signStripeEvent, signYocoEvent } from "./sign"
