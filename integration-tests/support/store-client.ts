/** A small HTTP client for the store and admin APIs, shared by the integration tests and the demo. */
import { adminRequest, basicAuth } from "./admin-request"

type Json = Record<string, unknown>

/** An HTTP answer with its parsed JSON body. */
export type HttpAnswer<T = Json> = { status: number; body: T }

/** A payment session as the store API returns it. */
export type StoreSession = { id: string; provider_id: string; status: string; amount: number; data: Json }

/** An order as the admin API returns it with the fields the tests read. */
export type AdminOrder = {
  id: string
  email: string
  total: number
  payment_status: string
  payment_collections: Array<{
    id: string
    status: string
    payments: Array<{
      id: string
      amount: number
      captured_at: string | null
      captures?: Array<{ amount: number }>
      refunds?: Array<{ amount: number }>
    }>
  }>
}

/** Calls the store API with a publishable key, and the admin API with a secret key (HTTP Basic). */
export class StoreClient {
  constructor(
    readonly baseUrl: string,
    private readonly publishableKey: string,
    private readonly adminSecret?: string,
  ) {}

  /** POST/GET to the store API; throws on a non-2xx answer with the API's message. */
  async store<T = Json>(method: "GET" | "POST", path: string, body?: Json): Promise<T> {
    return this.call<T>(method, path, { "x-publishable-api-key": this.publishableKey }, body)
  }

  /** POST/GET to the admin API with the secret API key. */
  async admin<T = Json>(method: "GET" | "POST", path: string, body?: Json): Promise<T> {
    if (!this.adminSecret) {
      throw new Error("This client has no admin secret key")
    }
    return this.call<T>(method, path, { authorization: basicAuth(this.adminSecret) }, body)
  }

  /**
   * Calls the admin API and returns its status and parsed body whatever the status; `authorization`
   * replaces the client's own key ("" sends none), for tests of refusals.
   */
  async adminAnswer(
    method: "GET" | "POST",
    path: string,
    body?: object,
    authorization = this.adminSecret ? basicAuth(this.adminSecret) : "",
  ) {
    return adminRequest(this.baseUrl, authorization, method, path, body)
  }

  /** Creates a cart with one item, an address and a shipping method: ready to pay. */
  async cartReadyToPay(input: {
    regionId: string
    variantId: string
    shippingOptionId: string
    country: string
    email: string
  }): Promise<{ id: string; total: number; currency_code: string }> {
    const { cart } = await this.store<{ cart: { id: string } }>("POST", "/store/carts", { region_id: input.regionId, email: input.email })
    await this.store("POST", `/store/carts/${cart.id}/line-items`, { variant_id: input.variantId, quantity: 1 })
    await this.store("POST", `/store/carts/${cart.id}`, {
      shipping_address: {
        first_name: "Ada",
        last_name: "Lovelace",
        address_1: "12 Long St",
        city: "Town",
        postal_code: "8001",
        country_code: input.country,
      },
    })
    const { cart: ready } = await this.store<{ cart: { id: string; total: number; currency_code: string } }>(
      "POST",
      `/store/carts/${cart.id}/shipping-methods`,
      { option_id: input.shippingOptionId },
    )
    return ready
  }

  /** Creates the cart's payment collection and a session with `providerId`. */
  async startPayment(cartId: string, providerId: string): Promise<{ collectionId: string; session: StoreSession }> {
    const { payment_collection: collection } = await this.store<{ payment_collection: { id: string } }>(
      "POST",
      "/store/payment-collections",
      { cart_id: cartId },
    )
    const { payment_collection: withSession } = await this.store<{ payment_collection: { id: string; payment_sessions: StoreSession[] } }>(
      "POST",
      `/store/payment-collections/${collection.id}/payment-sessions`,
      { provider_id: providerId },
    )
    const session = withSession.payment_sessions.find((candidate) => candidate.provider_id === providerId)
    if (!session) {
      throw new Error(`No ${providerId} session was created for cart ${cartId}`)
    }
    return { collectionId: collection.id, session }
  }

  /** The order placed with `email`, if any (admin API). */
  async orderByEmail(email: string): Promise<AdminOrder | undefined> {
    const fields =
      "id,email,total,payment_status,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds"
    const { orders } = await this.admin<{ orders: AdminOrder[] }>(
      "GET",
      `/admin/orders?q=${encodeURIComponent(email)}&fields=${encodeURIComponent(fields)}`,
    )
    return orders.find((order) => order.email === email)
  }

  /**
   * Polls until the order for `email` exists with its payment (and `ready` holds), or throws after
   * `timeoutMs`. Medusa's cart completion creates the order and its links before it authorizes the
   * payment session, so an order can be seen for a moment with no payment yet.
   */
  async waitForOrder(email: string, options: { timeoutMs?: number; ready?: (order: AdminOrder) => boolean } = {}): Promise<AdminOrder> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000)
    const paid = (order: AdminOrder) => order.payment_collections.some((collection) => (collection.payments ?? []).length > 0)
    for (;;) {
      const order = await this.orderByEmail(email)
      if (order && paid(order) && (!options.ready || options.ready(order))) {
        return order
      }
      if (Date.now() > deadline) {
        throw new Error(`No order for ${email} after ${options.timeoutMs ?? 30_000} ms`)
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }

  private async call<T>(method: string, path: string, headers: Record<string, string>, body?: Json): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await response.text()
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`)
    }
    return (text ? JSON.parse(text) : {}) as T
  }
}
