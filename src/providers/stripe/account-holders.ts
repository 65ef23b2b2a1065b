import type Stripe from "stripe"
import { MedusaError } from "@medusajs/framework/utils"
import type {
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeleteAccountHolderInput,
  DeleteAccountHolderOutput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
  UpdateAccountHolderInput,
  UpdateAccountHolderOutput,
} from "@medusajs/framework/types"
import { accountHolderId, customerParams, publicPaymentMethod } from "./customers"
import { stripeFailure } from "./errors"

// The account-holder half of Medusa's provider contract (Stripe customers and their saved payment
// methods), which the service delegates to with its client.

/** Creates the Stripe customer of a Medusa customer (or returns the one already linked). */
export async function createAccountHolder(stripe: Stripe, { context }: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
  const existing = accountHolderId(context)
  if (existing) {
    return { id: existing }
  }
  try {
    const customer = await stripe.customers.create(customerParams(context.customer), {
      idempotencyKey: context.idempotency_key,
    })
    return { id: customer.id, data: { id: customer.id, email: customer.email } }
  } catch (error) {
    throw stripeFailure("createAccountHolder", error)
  }
}

/** Copies a Medusa customer's changes to the Stripe customer. */
export async function updateAccountHolder(stripe: Stripe, { context }: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
  const id = accountHolderId(context)
  if (!id) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe updateAccountHolder failed: no account holder")
  }
  if (!context.customer) {
    return {}
  }
  try {
    const customer = await stripe.customers.update(id, customerParams(context.customer), {
      idempotencyKey: context.idempotency_key,
    })
    return { data: { id: customer.id, email: customer.email } }
  } catch (error) {
    throw stripeFailure("updateAccountHolder", error)
  }
}

/** Deletes the Stripe customer of an account holder. */
export async function deleteAccountHolder(stripe: Stripe, { context }: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
  const id = context.account_holder?.data?.id
  if (typeof id !== "string") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe deleteAccountHolder failed: no account holder")
  }
  try {
    await stripe.customers.del(id)
    return {}
  } catch (error) {
    throw stripeFailure("deleteAccountHolder", error)
  }
}

/** The customer's saved payment methods (up to 100). */
export async function listPaymentMethods(stripe: Stripe, { context }: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
  const id = accountHolderId(context)
  if (!id) {
    return []
  }
  try {
    const methods = await stripe.customers.listPaymentMethods(id, { limit: 100 })
    return methods.data.map((method) => ({ id: method.id, data: publicPaymentMethod(method) }))
  } catch (error) {
    throw stripeFailure("listPaymentMethods", error)
  }
}

/** Starts saving a payment method for the customer (a SetupIntent the storefront confirms). */
export async function savePaymentMethod(stripe: Stripe, { context, data }: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
  const customer = accountHolderId(context)
  if (!customer) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe savePaymentMethod failed: no account holder")
  }
  try {
    const setup = await stripe.setupIntents.create(
      { customer, ...(typeof data?.payment_method === "string" ? { payment_method: data.payment_method } : {}) },
      { idempotencyKey: context?.idempotency_key },
    )
    return { id: setup.id, data: { id: setup.id, client_secret: setup.client_secret, status: setup.status } }
  } catch (error) {
    throw stripeFailure("savePaymentMethod", error)
  }
}

/** Detaches a saved payment method from its customer. */
export async function deletePaymentMethod(stripe: Stripe, { data, context }: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
  try {
    await stripe.paymentMethods.detach(data.id, {}, { idempotencyKey: context?.idempotency_key })
    return {}
  } catch (error) {
    throw stripeFailure("deletePaymentMethod", error)
  }
}
