import type { SeededStore } from "../../integration-tests/support/seed"

/** A cart ready to pay, with a payment session of the given provider. */
export type SessionCart = { cartId: string; sessionId: string; intentId: string; total: number }

type Json = Record<string, unknown>

async function call<T>(baseUrl: string, key: string, path: string, body: Json): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "x-publishable-api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  })
  const text = await response.text()
  if (!response.ok) {
    throw new Error(`POST ${path.split("?")[0]} answered ${response.status}: ${text.slice(0, 300)}`)
  }
  return JSON.parse(text) as T
}

/**
 * A storefront's checkout in four store API calls: the cart with its item and address, the
 * shipping method, the payment collection, and a session of `providerId` (which creates the
 * PaymentIntent at the PSP). Answers are trimmed with `fields` to what the benchmark reads.
 */
export async function cartWithSession(baseUrl: string, seeded: SeededStore, providerId: string, email: string): Promise<SessionCart> {
  const key = seeded.publishableKey
  const usd = seeded.markets.usd
  const { cart } = await call<{ cart: { id: string } }>(baseUrl, key, "/store/carts?fields=id", {
    region_id: usd.regionId,
    email,
    items: [{ variant_id: seeded.variantId, quantity: 1 }],
    shipping_address: {
      first_name: "Ada",
      last_name: "Lovelace",
      address_1: "12 Long St",
      city: "Town",
      postal_code: "8001",
      country_code: usd.country,
    },
  })
  const { cart: ready } = await call<{ cart: { total: number } }>(
    baseUrl,
    key,
    `/store/carts/${cart.id}/shipping-methods?fields=id,total`,
    {
      option_id: usd.shippingOptionId,
    },
  )
  const { payment_collection: collection } = await call<{ payment_collection: { id: string } }>(
    baseUrl,
    key,
    "/store/payment-collections?fields=id",
    {
      cart_id: cart.id,
    },
  )
  const { payment_collection: withSession } = await call<{
    payment_collection: { payment_sessions: Array<{ id: string; provider_id: string; data: Json }> }
  }>(baseUrl, key, `/store/payment-collections/${collection.id}/payment-sessions`, { provider_id: providerId })
  const session = withSession.payment_sessions.find((candidate) => candidate.provider_id === providerId)
  if (!session || typeof session.data.id !== "string") {
    throw new Error(`No ${providerId} session with a PaymentIntent was created for cart ${cart.id}`)
  }
  return { cartId: cart.id, sessionId: session.id, intentId: session.data.id, total: ready.total }
}
