import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

/** One market of the test store: a region, its currency and the payment providers it offers. */
export type MarketSpec = { name: string; currency: string; country: string; providers: string[] }

/** What a checkout needs from the seeded store. */
export type SeededStore = {
  publishableKey: string
  salesChannelId: string
  variantId: string
  /** Per currency: the region and the shipping option to use. */
  markets: Record<string, { regionId: string; shippingOptionId: string; country: string }>
}

/** USD paid with Stripe (manual and automatic capture). */
export const USD_MARKET: MarketSpec = {
  name: "United States",
  currency: "usd",
  country: "us",
  providers: ["pp_stripe_stripe", "pp_stripe_auto"],
}

/** ZAR paid with Yoco. */
export const ZAR_MARKET: MarketSpec = { name: "South Africa", currency: "zar", country: "za", providers: ["pp_yoco_yoco"] }

/** The markets whose providers are configured in this process's environment (providers of other packages in USD, when registered). */
export function configuredMarkets(): MarketSpec[] {
  const others = [
    ...(process.env.MEDUSA_STRIPE_WEBHOOK_SECRET ? ["pp_stripe_medusa"] : []),
    ...(process.env.ACME_API_BASE_URL ? ["pp_acme_acme", "pp_acme_slow"] : []),
  ]
  const usd = { ...USD_MARKET, providers: [...USD_MARKET.providers, ...others] }
  return process.env.YOCO_SECRET_KEY ? [usd, ZAR_MARKET] : [usd]
}

/**
 * Seeds the least a real checkout needs: markets, a sales channel with its publishable key,
 * a stock location that ships to every market, and one product priced in every currency.
 */
export async function seedStore(container: MedusaContainer, markets: MarketSpec[] = configuredMarkets()): Promise<SeededStore> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Webshop" }] },
  })
  const {
    data: [store],
  } = await query.graph({ entity: "store", fields: ["id"] })
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        default_sales_channel_id: salesChannel.id,
        supported_currencies: markets.map((market, index) => ({ currency_code: market.currency, is_default: index === 0 })),
      },
    },
  })

  const {
    result: [apiKey],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Webshop", type: "publishable", created_by: "seed" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKey.id, add: [salesChannel.id] } })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: markets.map((market) => ({
        name: market.name,
        currency_code: market.currency,
        countries: [market.country],
        payment_providers: market.providers,
      })),
    },
  })
  await createTaxRegionsWorkflow(container).run({
    input: markets.map((market) => ({ country_code: market.country, provider_id: "tp_system" })),
  })

  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: "Warehouse", address: { address_1: "1 Dock Road", city: "Cape Town", country_code: "za" } }] },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [salesChannel.id] } })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  const {
    result: [profile],
  } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default", type: "default" }] },
  })
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "Shipping",
    type: "shipping",
    service_zones: markets.map((market) => ({
      name: market.name,
      geo_zones: [{ type: "country" as const, country_code: market.country }],
    })),
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })

  const seeded: SeededStore["markets"] = {}
  for (const [index, market] of markets.entries()) {
    const zone = fulfillmentSet.service_zones.find((candidate) => candidate.name === market.name)
    const {
      result: [option],
    } = await createShippingOptionsWorkflow(container).run({
      input: [
        {
          name: `Standard ${market.currency.toUpperCase()}`,
          price_type: "flat",
          provider_id: "manual_manual",
          service_zone_id: zone!.id,
          shipping_profile_id: profile.id,
          type: { label: "Standard", description: "Two days", code: `standard-${market.currency}` },
          prices: [{ currency_code: market.currency, amount: 5 }],
          rules: [
            { attribute: "enabled_in_store", value: "true", operator: "eq" },
            { attribute: "is_return", value: "false", operator: "eq" },
          ],
        },
      ],
    })
    seeded[market.currency] = { regionId: regions[index].id, shippingOptionId: option.id, country: market.country }
  }

  const {
    result: [product],
  } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "Canvas tote",
          status: "published",
          shipping_profile_id: profile.id,
          options: [{ title: "Size", values: ["One size"] }],
          variants: [
            {
              title: "One size",
              sku: "TOTE-1",
              manage_inventory: false,
              options: { Size: "One size" },
              prices: markets.map((market) => ({ currency_code: market.currency, amount: 20 })),
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        },
      ],
    },
  })

  return {
    publishableKey: apiKey.token,
    salesChannelId: salesChannel.id,
    variantId: product.variants[0].id,
    markets: seeded,
  }
}
