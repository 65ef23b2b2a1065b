import Stripe from "stripe"
import { MedusaError } from "@medusajs/framework/utils"
import type { PaymentCustomerDTO } from "@medusajs/framework/types"
import { FakeStripe } from "../../testing/stripe"
import {
  createAccountHolder,
  deleteAccountHolder,
  deletePaymentMethod,
  listPaymentMethods,
  savePaymentMethod,
  updateAccountHolder,
} from "./account-holders"

const fake = new FakeStripe()
let stripe: Stripe

beforeAll(async () => {
  await fake.start()
  stripe = new Stripe("sk_test_account_holders", fake.clientConfig())
})

afterAll(async () => {
  await fake.stop()
})

const ada: PaymentCustomerDTO = {
  id: "cus_medusa_ada",
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  phone: "+27 21 000 0000",
  billing_address: { city: "Cape Town", country_code: "za", address_1: "1 Long St", postal_code: "8001" },
}

/** A Medusa account holder for a Stripe customer, as the payment module passes it back. */
const holder = (id: string) => ({ data: { id } })

async function customerOfAda(): Promise<string> {
  const created = await createAccountHolder(stripe, { context: { customer: ada, idempotency_key: `ik_${Math.random()}` } })
  return created.id
}

describe("Stripe account holders", () => {
  it("creates the Stripe customer of a Medusa customer, and reuses the one already linked", async () => {
    const id = await customerOfAda()
    expect(await stripe.customers.retrieve(id)).toMatchObject({ email: "ada@example.com", name: "Ada Lovelace", phone: "+27 21 000 0000" })
    // The fake keeps no addresses; what reached Stripe is in the request it recorded.
    const sent = fake.requests.filter((request) => request.method === "POST" && request.path === "/v1/customers").pop()
    expect(sent?.body).toMatchObject({ address: { city: "Cape Town", country: "za", line1: "1 Long St", postal_code: "8001" } })
    expect(sent?.idempotencyKey).toMatch(/^ik_/)
    const before = fake.requests.length
    expect(await createAccountHolder(stripe, { context: { customer: ada, account_holder: holder(id) } })).toEqual({ id })
    expect(fake.requests.length).toBe(before)
  })

  it("copies a Medusa customer's changes to Stripe, and refuses without an account holder", async () => {
    const id = await customerOfAda()
    await updateAccountHolder(stripe, { context: { customer: { ...ada, email: "ada@analytical.example" }, account_holder: holder(id) } })
    expect(await stripe.customers.retrieve(id)).toMatchObject({ email: "ada@analytical.example" })
    const refused = updateAccountHolder(stripe, { context: { customer: ada, account_holder: { data: {} } } })
    await expect(refused).rejects.toThrow(MedusaError)
    await expect(refused).rejects.toThrow("Stripe updateAccountHolder failed: no account holder")
  })

  it("lists saved cards with brand, last four and expiry only, and detaches one", async () => {
    const id = await customerOfAda()
    expect(await listPaymentMethods(stripe, { context: { account_holder: holder(id) } })).toEqual([])
    const saved = fake.attachCard(id)
    const listed = await listPaymentMethods(stripe, { context: { account_holder: holder(id) } })
    expect(listed).toEqual([
      {
        id: saved.id,
        data: {
          id: saved.id,
          type: "card",
          card: { brand: "visa", last4: "4242", exp_month: expect.any(Number), exp_year: expect.any(Number) },
        },
      },
    ])
    await deletePaymentMethod(stripe, { data: { id: saved.id } })
    expect(await listPaymentMethods(stripe, { context: { account_holder: holder(id) } })).toEqual([])
  })

  it("starts saving a card with a SetupIntent for the customer, and refuses without an account holder", async () => {
    const id = await customerOfAda()
    const started = await savePaymentMethod(stripe, { context: { account_holder: holder(id) } })
    expect(started.data).toMatchObject({
      id: started.id,
      client_secret: expect.stringContaining(started.id),
      status: "requires_payment_method",
    })
    expect(await stripe.setupIntents.retrieve(started.id)).toMatchObject({ customer: id })
    await expect(savePaymentMethod(stripe, { context: {} })).rejects.toThrow("Stripe savePaymentMethod failed: no account holder")
  })

  it("deletes the Stripe customer of an account holder", async () => {
    const id = await customerOfAda()
    await deleteAccountHolder(stripe, { context: { account_holder: holder(id) } })
    expect(await stripe.customers.retrieve(id)).toMatchObject({ id, deleted: true })
  })
})
