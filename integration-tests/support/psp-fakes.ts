import { FakeStripe, FakeYoco } from "../../src/testing"

/** The loopback PSPs of one spec file. */
export type PspFakes = { stripe: FakeStripe; yoco: FakeYoco }

/**
 * Starts the Stripe and Yoco fakes in a top-level `beforeAll` — before the test runner boots the
 * app — and points the store's environment (read by medusa-config.ts) at them.
 */
export function usePspFakes(stripeSecret: string): PspFakes {
  const fakes: PspFakes = { stripe: new FakeStripe(), yoco: new FakeYoco() }
  beforeAll(async () => {
    await fakes.stripe.start()
    await fakes.yoco.start()
    Object.assign(process.env, {
      STRIPE_API_KEY: "sk_test_integration",
      STRIPE_WEBHOOK_SECRET: stripeSecret,
      STRIPE_API_BASE_URL: fakes.stripe.url,
      YOCO_SECRET_KEY: FakeYoco.TEST_KEY,
      YOCO_WEBHOOK_SECRET: fakes.yoco.webhookSecret,
      YOCO_API_BASE_URL: fakes.yoco.url,
    })
  })
  afterAll(async () => {
    await fakes.stripe.stop()
    await fakes.yoco.stop()
  })
  return fakes
}
