import type Stripe from "stripe"
import { MedusaError } from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeleteAccountHolderInput,
  DeleteAccountHolderOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
  UpdateAccountHolderInput,
  UpdateAccountHolderOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
} from "@medusajs/framework/types"
import {
  externalRefundsOf,
  MEDUSA_REFUND_ID,
  withExternalRefund,
  withExternalRefundStatus,
  type RecordedRefund,
} from "../../lib/external-refunds"
import { formatAmount } from "../../lib/amounts"
import { fromMinorUnits, toMinorUnits } from "../base/money"
import { STORE_MARKER_KEY } from "../../lib/store-marker"
import type {
  MappedWebhookEvent,
  PaymentSessionTruth,
  PspPaymentView,
  ReadPaymentViewOptions,
  StoredDelivery,
  VerifiedDelivery,
} from "../../lib/webhook-result"
import { WebhookPaymentProvider, type WebhookProviderCradle } from "../base/webhook-provider"
import { readStripePaymentView } from "./payment-view"
import { createAbortableStripeClient, createStripeClient, snapshotIntent } from "./client"
import * as accountHolders from "./account-holders"
import { accountHolderId } from "./customers"
import { intentOfError, STRIPE_ALREADY_REFUNDED, STRIPE_UNEXPECTED_STATE, stripeCodeOf, stripeFailure } from "./errors"
import { parseStripeOptions, type StripeOptions } from "./options"
import { sessionStatusOf } from "./status"
import { interpretStripeDelivery, readStripeSessionTruth, verifyStripeDelivery } from "./webhook-source"

/** A refund this provider asked Stripe for, kept on the payment so its webhook is recognised later (amount in minor units). */
type StripeRefundEntry = { id: string; amount: number; status: string | null; medusa_refund_id?: string }

/** The refunds this provider made, as the payment's data records them. */
function ownRefundsOf(data: Record<string, unknown> | undefined): StripeRefundEntry[] {
  const value = data?.refunds
  return (Array.isArray(value) ? value : []).flatMap((entry: unknown) =>
    typeof entry === "object" &&
    entry !== null &&
    "id" in entry &&
    typeof entry.id === "string" &&
    "amount" in entry &&
    typeof entry.amount === "number"
      ? [
          {
            id: entry.id,
            amount: entry.amount,
            status: "status" in entry && typeof entry.status === "string" ? entry.status : null,
            ...("medusa_refund_id" in entry && typeof entry.medusa_refund_id === "string"
              ? { medusa_refund_id: entry.medusa_refund_id }
              : {}),
          },
        ]
      : [],
  )
}

/** An amount in minor units as a person reads it: `10.00 USD`. */
function formatMinor(minor: number, currency: string): string {
  return formatAmount(fromMinorUnits(minor, currency), currency)
}

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
export class StripeProviderService extends WebhookPaymentProvider<StripeOptions> {
  static override identifier = "stripe"
  /** The header that carries Stripe's signature: dropped from the request once verified, and from traces. */
  static override readonly signatureHeaders = ["stripe-signature"]

  protected readonly stripe_: Stripe

  /** Fails the store's boot with the name of a missing or invalid option. */
  static override validateOptions(options: Record<string, unknown>): void {
    parseStripeOptions(options)
  }

  constructor(cradle: WebhookProviderCradle, options: Record<string, unknown>) {
    const parsed = parseStripeOptions(options)
    super(cradle, parsed)
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
      metadata: { ...extraMetadata, ...(sessionId ? { session_id: sessionId, [STORE_MARKER_KEY]: this.storeMarkerFor(sessionId) } : {}) },
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
      const intent = await this.stripe_.paymentIntents.update(id, { amount: minor, currency }, { idempotencyKey: context?.idempotency_key })
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

  /**
   * Captures exactly what Medusa books: the Capture row Medusa committed before this call (its id is
   * the call's idempotency key) gives the amount, since Medusa passes none. Stripe captures a
   * PaymentIntent once and releases the rest, so an intent that already succeeded (automatic capture,
   * the dashboard, an earlier capture) is captured no further: the call succeeds only while Medusa's
   * captures add up to no more than Stripe received, and is refused otherwise, naming what Stripe took.
   */
  async capturePayment({ data, context }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const id = intentIdOf(data, "capturePayment")
    const capture = await this.records_.capture(context?.idempotency_key)
    const current = await this.retrieveIntent(id, "capturePayment")
    if (current.status === "succeeded") {
      return { data: withIntent(data, await this.checkCapturedAtStripe(current, capture)) }
    }
    if (current.status !== "requires_capture") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Stripe capturePayment refused: PaymentIntent ${id} is ${current.status}, so nothing can be captured` +
          (current.status === "canceled" ? " (its authorization was canceled or expired)" : ""),
      )
    }
    const amountToCapture = capture ? toMinorUnits(capture.amount, current.currency) : current.amount_capturable
    if (amountToCapture > current.amount_capturable) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Stripe capturePayment refused: ${formatMinor(amountToCapture, current.currency)} is more than the ${formatMinor(current.amount_capturable, current.currency)} PaymentIntent ${id} holds`,
      )
    }
    try {
      const intent = await this.stripe_.paymentIntents.capture(
        id,
        { amount_to_capture: amountToCapture },
        { idempotencyKey: context?.idempotency_key },
      )
      return { data: withIntent(data, intent) }
    } catch (error) {
      // Another process captured it between our read and our call: success, if it took what Medusa books.
      const intent = intentOfError(error)
      if (stripeCodeOf(error) === STRIPE_UNEXPECTED_STATE && intent?.status === "succeeded") {
        return { data: withIntent(data, await this.checkCapturedAtStripe(intent, capture)) }
      }
      throw stripeFailure("capturePayment", error)
    }
  }

  /** Refuses a capture Medusa would book beyond what Stripe received on an intent that is captured already. */
  private async checkCapturedAtStripe(
    intent: Stripe.PaymentIntent,
    capture: { payment_id: string } | undefined,
  ): Promise<Stripe.PaymentIntent> {
    if (!capture) {
      return intent
    }
    const booked = (await this.records_.captures(capture.payment_id)).reduce(
      (total, row) => total + toMinorUnits(row.amount, intent.currency),
      0,
    )
    if (booked > intent.amount_received) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Stripe capturePayment refused: Stripe captured ${formatMinor(intent.amount_received, intent.currency)} of PaymentIntent ${intent.id} ` +
          `and released the rest (a PaymentIntent is captured once), so Medusa cannot book ${formatMinor(booked, intent.currency)} captured`,
      )
    }
    return intent
  }

  /**
   * Refunds all or part of the payment, tagged at Stripe with Medusa's refund id (its idempotency key),
   * so the refund's webhook, even one that arrives before this call returns, is never taken for one
   * made in the dashboard. A refund Medusa is only recording (made in the dashboard; its note says so,
   * with this store's mark) is not sent to Stripe again. The data returned is built on the payment's
   * data as committed now, not on the copy Medusa read when the call began.
   */
  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const id = intentIdOf(data, "refundPayment")
    const currency = typeof data?.currency === "string" ? data.currency : undefined
    if (!currency) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Stripe refundPayment failed: the payment has no currency")
    }
    const minor = toMinorUnits(amount, currency)
    const medusaRefund = await this.records_.refund(context?.idempotency_key)
    const recorded = medusaRefund ? this.externalRefundOfNote(medusaRefund.note, medusaRefund.payment_id) : undefined
    if (medusaRefund && recorded) {
      const fresh = (await this.records_.paymentData(medusaRefund.payment_id)) ?? data ?? {}
      return { data: withExternalRefund(fresh, { id: recorded, amount: minor, medusa_refund_id: medusaRefund.id }) }
    }
    let entry: StripeRefundEntry | undefined
    try {
      const key = context?.idempotency_key
      const refund = await this.stripe_.refunds.create(
        { payment_intent: id, amount: minor, ...(key ? { metadata: { [MEDUSA_REFUND_ID]: key } } : {}) },
        { idempotencyKey: key },
      )
      entry = { id: refund.id, amount: refund.amount, status: refund.status, ...(key ? { medusa_refund_id: key } : {}) }
    } catch (error) {
      if (stripeCodeOf(error) !== STRIPE_ALREADY_REFUNDED) {
        throw stripeFailure("refundPayment", error)
      }
    }
    const fresh = (medusaRefund ? await this.records_.paymentData(medusaRefund.payment_id) : undefined) ?? data ?? {}
    const refunds = ownRefundsOf(fresh).filter((existing) => existing.id !== entry?.id)
    return { data: { ...fresh, refunds: entry ? [...refunds, entry] : refunds } }
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
          `Stripe cancelPayment refused: PaymentIntent ${intent.id} is ${intent.status}, so the customer's money was taken; refund it instead`,
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

  /** The session's PaymentIntent: its data's `id`. */
  sessionPspReference(sessionData: Record<string, unknown>): string | undefined {
    return typeof sessionData.id === "string" && sessionData.id.startsWith("pi_") ? sessionData.id : undefined
  }

  /** The refunds the payment's data records: made through Medusa (`refunds`), or at Stripe and recorded. */
  bookedRefunds(paymentData: Record<string, unknown>): RecordedRefund[] {
    const own = ownRefundsOf(paymentData).map((entry): RecordedRefund => ({
      psp_refund_id: entry.id,
      amount: entry.amount,
      external: false,
      ...(entry.status ? { status: entry.status } : {}),
      ...(entry.medusa_refund_id ? { medusa_refund_id: entry.medusa_refund_id } : {}),
    }))
    return [...own, ...externalRefundsOf(paymentData)]
  }

  /** The payment's data with the recorded refund's status set (the webhook's news of it). */
  withRefundStatus(paymentData: Record<string, unknown>, pspRefundId: string, status: string): Record<string, unknown> | undefined {
    const own = ownRefundsOf(paymentData)
    if (own.some((entry) => entry.id === pspRefundId)) {
      return { ...paymentData, refunds: own.map((entry) => (entry.id === pspRefundId ? { ...entry, status } : entry)) }
    }
    return withExternalRefundStatus(paymentData, pspRefundId, status)
  }

  /** Verifies `Stripe-Signature` on the raw body (every configured secret) and names the event: what the edge records. */
  protected verifyDelivery(payload: ProviderWebhookPayload["payload"]): { delivery: VerifiedDelivery; body: unknown } {
    return verifyStripeDelivery(this.options_, payload)
  }

  /** Maps a recorded event to what Medusa must do, asking Stripe what refund and dispute events leave out. */
  async interpretWebhook(delivery: StoredDelivery): Promise<MappedWebhookEvent> {
    return interpretStripeDelivery(this.stripe_, this.options_, delivery)
  }

  /** Where a session's PaymentIntent stands at Stripe, for reconciliation. */
  async readSessionTruth(sessionData: Record<string, unknown>): Promise<PaymentSessionTruth> {
    return readStripeSessionTruth(this.stripe_, sessionData)
  }

  /**
   * The payment as the PSP shows it now (status, amount, captured, refunded), for the admin's order view.
   * With `signal`, the read goes through a client of its own tied to it: when it fires, the request is
   * aborted and its connection closed. Without one (the processor's reads), the provider's client as always.
   */
  async readPaymentView(sessionData: Record<string, unknown>, options: ReadPaymentViewOptions = {}): Promise<PspPaymentView> {
    const { signal } = options
    const stripe = signal ? createAbortableStripeClient(this.options_, signal) : this.stripe_
    return readStripePaymentView(stripe, sessionData, signal)
  }

  private async retrieveIntent(id: string, operation: string): Promise<Stripe.PaymentIntent> {
    try {
      return await this.stripe_.paymentIntents.retrieve(id)
    } catch (error) {
      throw stripeFailure(operation, error)
    }
  }
}
