import { asValue } from "@medusajs/framework/awilix"
import { createMedusaContainer, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { StripeProviderService } from "../../providers/stripe/service"
import { RecordingLogger } from "../../testing/recording-logger"
import { YocoProviderService } from "../../providers/yoco/service"
import { isWebhookSource, webhookSources } from "./webhook-sources"

const logger = new RecordingLogger()

/** A class marked as this package's, lacking the webhook side: what a provider added without one would be. */
class IncompleteProvider {
  static readonly webhookInbox = true
}

/** A container whose payment module registered `providers` the way Medusa's does (`pp_<identifier>_<id>`). */
function containerWith(providers: Record<string, unknown>): MedusaContainer {
  const paymentModule = {
    __container__: providers,
    listPaymentProviders: async () => Object.keys(providers).map((id) => ({ id, is_enabled: true })),
  }
  const container = createMedusaContainer()
  container.register(Modules.PAYMENT, asValue(paymentModule))
  return container
}

describe("webhookSources", () => {
  it("gives every provider of this package the webhook side the edge and the processor call", () => {
    const stripe = new StripeProviderService({ logger }, { apiKey: "sk_test_1", webhookSecret: "whsec_1" })
    const yoco = new YocoProviderService(
      { logger },
      { secretKey: "sk_test_1", webhookSecret: `whsec_${Buffer.from("k".repeat(24)).toString("base64")}` },
    )
    expect([isWebhookSource(stripe), isWebhookSource(yoco)]).toEqual([true, true])
  })

  it("finds this package's providers among the payment module's, by route key, and leaves the others", async () => {
    const stripe = new StripeProviderService({ logger }, { apiKey: "sk_test_1", webhookSecret: "whsec_1" })
    const sources = await webhookSources(containerWith({ pp_stripe_stripe: stripe, pp_system_default: { id: "system" } }))
    expect([...sources.keys()]).toEqual(["stripe_stripe"])
    expect(sources.get("stripe_stripe")).toBe(stripe)
  })

  it("refuses a provider of this package that has no webhook side, naming it", async () => {
    await expect(webhookSources(containerWith({ pp_new_one: new IncompleteProvider() }))).rejects.toThrow(
      "Payment provider pp_new_one comes from medusa-payment-webhooks, but its webhook edge cannot verify or process its deliveries",
    )
  })
})
