import type Stripe from "stripe"
import { AbstractPaymentProvider, MedusaError } from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput, AuthorizePaymentOutput, CancelPaymentInput, CancelPaymentOutput,
  CapturePaymentInput, CapturePaymentOutput, CreateAccountHolderInput, CreateAccountHolderOutput,
  DeleteAccountHolderInput, DeleteAccountHolderOutput, DeletePaymentInput, DeletePaymentOutput,
  DeletePaymentMethodInput, DeletePaymentMethodOutput, GetPaymentStatusInput, GetPaymentStatusOutput,
  InitiatePaymentInput, InitiatePaymentOutput, ListPaymentMethodsInput, ListPaymentMethodsOutput, Logger,
  ProviderWebhookPayload, RefundPaymentInput, RefundPaymentOutput, RetrievePaymentInput, RetrievePaymentOutput,
  SavePaymentMethodInput, SavePaymentMethodOutput, UpdateAccountHolderInput, UpdateAccountHolderOutput,
  UpdatePaymentInput, UpdatePaymentOutput,
} from "@medusajs/framework/types"
import { MEDUSA_REFUND_ID, takeParkedRefund } from "../../lib/external-refunds"
import { toMinorUnits } from "../../lib/money"
import { secretList } from "../../lib/options"
import { STORE_MARKER_KEY, storeMarker } from "../../lib/store-marker"
import type { MappedWebhookEvent, PaymentSessionTruth, PspPaymentView, StoredDelivery, VerifiedDelivery, WebhookSource } from "../../lib/webhook-result"
import { readStripePaymentView } from "./payment-view"
import { createStripeClient, snapshotIntent } from "./client"
import * as accountHolders from "./account-holders"
import { accountHolderId } from "./customers"
import { intentOfError, STRIPE_ALREADY_REFUNDED, STRIPE_UNEXPECTED_STATE, stripeCodeOf, stripeFailure } from "./errors"
import { parseStripeOptions, type StripeOptions } from "./options"
import { sessionStatusOf } from "./status"
import { interpretStripeDelivery, readStripeSessionTruth, verifyStripeDelivery } from "./webhook-source"

/** What the provider resolves from Medusa's container. */
type StripeProviderCradle = { logger: Logger }

/** A refund this provider asked Stripe for, kept on the payment so its webhook is recognised later. */
type RecordedRefund = { id: string; amount: number; status: string | null }

/** The provider data with the intent's current state, keeping what the store recorded beside it (refunds). */
function withIntent(data: Record<string, unknown> | undefined, intent: Stripe.PaymentIntent): Record<string, unknown> {
  return { ...data, ...snapshotIntent(intent) }
}

function intentIdOf(data: Record<string, unknown> | undefined, operation: string): string {
  const id = data?.id
  if (typeof id !== "string" || !id.startsWith("pi_")) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Stripe ${operation} failed: the payment has no PaymentIntent id`)
  }
  return id
}

/**
 * Stripe payment provider on PaymentIntents. This class reads as Medusa's contract; amounts,
 * statuses, event mapping and signatures live in pure functions beside it.
 */
export class StripeProviderService extends AbstractPaymentProvider<StripeOptions> implements WebhookSource {
  static override identifier = "stripe"
  /** Marks this package's providers: the webhook edge takes their deliveries, and must know how to verify them. */
  static readonly webhookInbox = true

  protected readonly options_: StripeOptions
  protected readonly stripe_: Stripe
  protected readonly logger_: Logger

  /** Fails the store's boot with the name of a missing or invalid option. */
  static override validateOptions(options: Record<string, unknown>): void {
    parseStripeOptions(options)
  }

  constructor(cradle: StripeProviderCradle, options: Record<string, unknown>) {
    const parsed = parseStripeOptions(options)
    super(cradle, parsed)
    this.options_ = parsed
    this.logger_ = cradle.logger
    this.stripe_ = createStripeClient(parsed)
  }

  /** Creates the PaymentIntent for a session, linked to it by `metadata.session_id` and marked as this store's. */
  async initiatePayment({ amount, currency_code, data, context }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = typeof data?.session_id === "string" ? data.session_id : undefined
    const extraMetadata = (data?.metadata ?? {}) as Record<string, string>
    const params: Stripe.PaymentIntentCreateParams = {
      amount: toMinorUnits(amount, currency_code),
      currency: currency_code.toLowerCase(),
      capture_method: this.options_.capture ? "automatic" : "manual",
      description: this.options_.paymentDescription,
      // The marker lets a paid event for a session this store has since deleted be told from another store's.
      metadata: { ...extraMetadata, ...(sessionId ? { session_id: sessionId, [STORE_MARKER_KEY]: storeMarker(secretList(this.options_.webhookSecret), sessionId) } : {}) },
      customer: accountHolderId(context),
      ...(this.options_.automaticPaymentMethods ? { automatic_payment_methods: { enabled: true } } : {}),
      ...(typeof data?.payment_method === "string" ? { payment_method: data.payment_method } : {}),
      ...(data?.setup_future_usage === "off_session" || data?.setup_future_usage === "on_session"
        ? { setup_future_usage: data.setup_future_usage }
        : {}),
    }
    try {
      const intent = await this.stripe_.paymentIntents.create(params, { idempotencyKey: context?.idempotency_key })
      return { id: intent.id, status: sessionStatusOf(intent), data: snapshotIntent(intent) }
    } catch (error) {
      throw stripeFailure("initiatePayment", error)
    }
  }

  /** Follows a cart's new amount or currency onto the PaymentIntent. */
  async updatePayment({ amount, currency_code, data, context }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const id = intentIdOf(data, "updatePayment")
    const minor = toMinorUnits(amount, currency_code)
    const currency = currency_code.toLowerCase()
    if (data?.amount === minor && data?.currency === currency) {
      return { data }
    }
    try {
      const intent = await this.stripe_.paymentIntents.update(
        id,
        { amount: minor, currency },
        { idempotencyKey: context?.idempotency_key }
      )
      return { status: sessionStatusOf(intent), data: withIntent(data, intent) }
    } catch (error) {
      throw stripeFailure("updatePayment", error)
    }
  }

  /** Reads the PaymentIntent: `requires_capture` is authorized, `succeeded` is already captured. */
  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.getPaymentStatus(input)
  }

  /** The session's status as Stripe knows it now. */
  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const intent = await this.retrieveIntent(intentIdOf(data, "getPaymentStatus"), "getPaymentStatus")
    return { status: sessionStatusOf(intent), data: withIntent(data, intent) }
  }

  /** Captures once: an intent that already succeeded (auto-capture, dashboard, a retry) is returned as it is. */
  async capturePayment({ data, context }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const id = intentIdOf(data, "capturePayment")
    const current = await this.retrieveIntent(id, "capturePayment")
    if (current.status === "succeeded") {
      return { data: withIntent(data, current) }
    }
    try {
      const intent = await this.stripe_.paymentIntents.capture(id, {}, { idempotencyKey: context?.idempotency_key })
      return { data: withIntent(data, intent) }
    } catch (error) {
      // Another process captured it between our read and our call: that is success, not a failure.
      const intent = intentOfError(error)
      if (stripeCodeOf(error) === STRIPE_UNEXPECTED_STATE && intent?.status === "succeeded") {
        return { data: withIntent(data, intent) }
      }
      throw stripeFailure("capturePayment", error)
    }
  }

  /** Refunds all or part of the payment, and remembers the refund id so its webhook is not counted twice. */
  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const id = intentIdOf(data, "refundPayment")
    const currency = typeof data?.currency === "string" ? data.currency : undefined
    if (!currency) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe refundPayment failed: the payment has no currency")
    }
    const previous = Array.isArray(data?.refunds) ? (data.refunds as RecordedRefund[]) : []
    const parked = takeParkedRefund(data, toMinorUnits(amount, currency))
    if (parked) {
      // Already refunded at Stripe (dashboard): Medusa is only recording it.
      return { data: parked }
    }
    try {
      // Medusa's refund id (its idempotency key) tags the refund at Stripe: its webhook, even one that
      // arrives before this call returns, is then never taken for a refund made in the dashboard.
      const metadata = context?.idempotency_key ? { [MEDUSA_REFUND_ID]: context.idempotency_key } : undefined
      const refund = await this.stripe_.refunds.create(
        { payment_intent: id, amount: toMinorUnits(amount, currency), ...(metadata ? { metadata } : {}) },
        { idempotencyKey: context?.idempotency_key }
      )
      const recorded: RecordedRefund = { id: refund.id, amount: refund.amount, status: refund.status }
      return { data: { ...data, refunds: [...previous, recorded] } }
    } catch (error) {
      if (stripeCodeOf(error) === STRIPE_ALREADY_REFUNDED) {
        return { data }
      }
      throw stripeFailure("refundPayment", error)
    }
  }

  /**
   * Cancels the PaymentIntent. Only an intent already canceled counts as done: one that succeeded or
   * is processing holds the customer's money, so the cancel is refused and Medusa keeps the session
   * (its payment then still becomes an order, or is reported as needing attention).
   */
  async cancelPayment({ data, context }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    if (typeof data?.id !== "string") {
      return { data }
    }
    try {
      const intent = await this.stripe_.paymentIntents.cancel(data.id, {}, { idempotencyKey: context?.idempotency_key })
      return { data: withIntent(data, intent) }
    } catch (error) {
      const intent = intentOfError(error)
      if (stripeCodeOf(error) === STRIPE_UNEXPECTED_STATE && intent?.status === "canceled") {
        return { data: withIntent(data, intent) }
      }
      if (intent && intent.status !== "canceled") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Stripe cancelPayment refused: PaymentIntent ${intent.id} is ${intent.status}, so the customer's money was taken; refund it instead`
        )
      }
      throw stripeFailure("cancelPayment", error)
    }
  }

  /** A deleted session's PaymentIntent is canceled so it can never be paid. */
  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return this.cancelPayment(input)
  }

  /** The PaymentIntent as Stripe has it now. */
  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const intent = await this.retrieveIntent(intentIdOf(data, "retrievePayment"), "retrievePayment")
    return { data: withIntent(data, intent) }
  }

  /** Creates the Stripe customer of a Medusa customer (or returns the one already linked). */
  async createAccountHolder(input: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
    return accountHolders.createAccountHolder(this.stripe_, input)
  }

  /** Copies a Medusa customer's changes to the Stripe customer. */
  async updateAccountHolder(input: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    return accountHolders.updateAccountHolder(this.stripe_, input)
  }

  /** Deletes the Stripe customer of an account holder. */
  async deleteAccountHolder(input: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
    return accountHolders.deleteAccountHolder(this.stripe_, input)
  }

  /** The customer's saved payment methods (up to 100). */
  async listPaymentMethods(input: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
    return accountHolders.listPaymentMethods(this.stripe_, input)
  }

  /** Starts saving a payment method for the customer (a SetupIntent the storefront confirms). */
  async savePaymentMethod(input: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
    return accountHolders.savePaymentMethod(this.stripe_, input)
  }

  /** Detaches a saved payment method from its customer. */
  async deletePaymentMethod(input: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    return accountHolders.deletePaymentMethod(this.stripe_, input)
  }

  /** Verifies `Stripe-Signature` on the raw body (every configured secret) and names the event: what the edge records. */
  verifyWebhook(payload: ProviderWebhookPayload["payload"]): VerifiedDelivery {
    return verifyStripeDelivery(this.options_, payload).delivery
  }

  /** Maps a recorded event to what Medusa must do, asking Stripe what refund and dispute events leave out. */
  async interpretWebhook(delivery: StoredDelivery): Promise<MappedWebhookEvent> {
    return interpretStripeDelivery(this.stripe_, this.options_, delivery)
  }

  /** Where a session's PaymentIntent stands at Stripe, for reconciliation. */
  async readSessionTruth(sessionData: Record<string, unknown>): Promise<PaymentSessionTruth> {
    return readStripeSessionTruth(this.stripe_, sessionData)
  }

  /** The payment as the PSP shows it now (status, amount, captured, refunded), for the admin's order view. */
  async readPaymentView(sessionData: Record<string, unknown>): Promise<PspPaymentView> {
    return readStripePaymentView(this.stripe_, sessionData)
  }

  /**
   * Medusa's webhook entry point, for stores that use the built-in route without the plugin entry:
   * verifies, then maps. Throws WebhookVerificationError for anything unverified.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<MappedWebhookEvent> {
    const { event } = verifyStripeDelivery(this.options_, payload)
    const mapped = await this.interpretWebhook({ event_id: event.id, body: event })
    if (mapped.reason) {
      this.logger_.debug(`Stripe webhook ${event.id} (${event.type}) leads to no action: ${mapped.reason}`)
    }
    return mapped
  }

  private async retrieveIntent(id: string, operation: string): Promise<Stripe.PaymentIntent> {
    try {
      return await this.stripe_.paymentIntents.retrieve(id)
    } catch (error) {
      throw stripeFailure(operation, error)
    }
  }
}
