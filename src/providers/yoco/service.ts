import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  BigNumberInput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
} from "@medusajs/framework/types"
import { MedusaError, PaymentSessionStatus } from "@medusajs/framework/utils"
import { fromMinorUnits, toMinorUnits } from "../base/money"
import { externalRefundsOf, withExternalRefund, withExternalRefundStatus, type RecordedRefund } from "../../lib/external-refunds"
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
import { readYocoPaymentView } from "./payment-view"
import { isYocoApiError, YocoClient } from "./client"
import { parseYocoOptions, redirectUrlFor, YocoOptions } from "./options"
import { yocoFailure } from "./errors"
import { interpretYocoDelivery, readYocoSessionTruth, verifyYocoDelivery } from "./webhook-source"
import { dataForCheckout, readSessionData, requireCheckoutId, withRefund, YocoSessionData } from "./session-data"
import type { YocoCheckout } from "./types"

/**
 * Smallest checkout Yoco accepts, in cents: R2.00. Not confirmed against Yoco's reference (unreachable
 * here); it is the limit every public Yoco integration we found enforces. Checked before any call.
 */
export const YOCO_MIN_AMOUNT_CENTS = 200

/**
 * Yoco payments through the Checkout API: a session is a hosted checkout the customer is redirected
 * to; Yoco captures at once, so a paid checkout is `captured`. Payments complete through verified
 * `payment.succeeded` webhooks; refunds stay `pending` until Yoco confirms them.
 */
export class YocoProviderService extends WebhookPaymentProvider<YocoOptions> {
  static override identifier = "yoco"
  /** The Standard Webhooks header that carries Yoco's signature: dropped from the request once verified, and from traces. */
  static override readonly signatureHeaders = ["webhook-signature"]

  protected readonly client_: YocoClient

  /** Fails at boot with a MedusaError naming the bad option. */
  static override validateOptions(options: Record<string, unknown>): void {
    parseYocoOptions(options)
  }

  constructor(cradle: WebhookProviderCradle, options: Record<string, unknown>) {
    const parsed = parseYocoOptions(options)
    super(cradle, parsed)
    this.client_ = new YocoClient({ secretKey: parsed.secretKey, baseUrl: parsed.apiBaseUrl })
  }

  /** Creates the session's checkout; the storefront redirects the customer to `data.redirect_url`. */
  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = typeof input.data?.session_id === "string" ? input.data.session_id : undefined
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Yoco initiatePayment: the payment session id (data.session_id) is missing")
    }
    const { amount, currency } = this.checkoutAmount("initiatePayment", input.amount, input.currency_code)
    // Medusa's key is the session id; the amount in it keeps a changed cart from replaying an old checkout.
    const key = `${input.context?.idempotency_key ?? sessionId}:${amount}:${currency}`
    const checkout = await this.createCheckout("initiatePayment", sessionId, amount, key)
    return { id: checkout.id, data: dataForCheckout(checkout, sessionId, this.options_.mode), status: PaymentSessionStatus.PENDING }
  }

  /** Checkouts are immutable: a new amount or currency means a new checkout (and redirect URL). */
  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = readSessionData("updatePayment", input.data)
    const { amount, currency } = this.checkoutAmount("updatePayment", input.amount, input.currency_code)
    if (data.checkout_id && data.amount === amount && data.currency === currency) {
      return { data: input.data ?? {} }
    }
    if (!data.session_id) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Yoco updatePayment: the payment data has no session_id")
    }
    // The previous checkout id makes the key unique per change, yet stable when Medusa retries this update.
    const key = `${input.context?.idempotency_key ?? data.session_id}:${data.checkout_id ?? "none"}:${amount}:${currency}`
    const checkout = await this.createCheckout("updatePayment", data.session_id, amount, key)
    // The previous checkout's status and payment id no longer describe this session.
    const next: YocoSessionData = {
      ...data,
      ...dataForCheckout(checkout, data.session_id, this.options_.mode),
      checkout_status: undefined,
      payment_id: undefined,
      canceled: undefined,
    }
    return { data: next, status: PaymentSessionStatus.PENDING }
  }

  /** Reads the checkout: `completed` → captured (Yoco captures at once), otherwise pending. */
  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.statusFromCheckout("authorizePayment", input.data)
  }

  /** Same reading as {@link authorizePayment}. */
  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return this.statusFromCheckout("getPaymentStatus", input.data)
  }

  /** Nothing to do: Yoco captured when the customer paid. */
  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    return { data: input.data ?? {} }
  }

  /**
   * Requests a full or partial refund; it is recorded as pending, with Medusa's refund id, until
   * `refund.succeeded` arrives. A refund Medusa is only recording (made in Yoco's dashboard; its note
   * says so, with this store's mark) is not sent to Yoco again. The data returned is built on the
   * payment's data as committed now, not on the copy Medusa read when the call began.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const data = readSessionData("refundPayment", input.data)
    const checkoutId = requireCheckoutId("refundPayment", data)
    const amount = this.centsFor("refundPayment", input.amount, data.currency ?? "ZAR")
    if (amount <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Yoco refundPayment: the refund amount must be positive")
    }
    const key = input.context?.idempotency_key
    const medusaRefund = await this.records_.refund(key)
    const recorded = medusaRefund ? this.externalRefundOfNote(medusaRefund.note, medusaRefund.payment_id) : undefined
    if (medusaRefund && recorded) {
      const fresh = (await this.records_.paymentData(medusaRefund.payment_id)) ?? input.data ?? {}
      return { data: withExternalRefund(fresh, { id: recorded, amount, medusa_refund_id: medusaRefund.id }) }
    }
    const metadata = data.session_id ? { session_id: data.session_id } : undefined
    // Medusa's key here is the refund id: a retried refund replays Yoco's first answer.
    const refund = await this.call("refundPayment", () =>
      this.client_.refundCheckout(checkoutId, { amount, metadata }, { idempotencyKey: key }),
    )
    const fresh = readSessionData(
      "refundPayment",
      (medusaRefund ? await this.records_.paymentData(medusaRefund.payment_id) : undefined) ?? input.data,
    )
    const refunds = withRefund(fresh, { refund_id: refund.refundId, status: "pending", amount, ...(key ? { medusa_refund_id: key } : {}) })
    return { data: { ...fresh, refunds } }
  }

  /**
   * Leaves the session unusable (a checkout cannot be cancelled at Yoco), after asking Yoco whether
   * its checkout was paid meanwhile (a hosted page still open in another tab): a paid checkout is
   * refused, so Medusa keeps the session and its payment still becomes an order, or is reported.
   */
  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    await this.refuseIfPaid("cancelPayment", input.data)
    return { data: { ...input.data, canceled: true } }
  }

  /** Same as {@link cancelPayment}. */
  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    await this.refuseIfPaid("deletePayment", input.data)
    return { data: { ...input.data, canceled: true } }
  }

  /** Throws when the session's checkout is completed at Yoco: the customer's money was taken. */
  private async refuseIfPaid(operation: string, raw: Record<string, unknown> | undefined): Promise<void> {
    const data = readSessionData(operation, raw)
    if (!data.checkout_id) {
      return
    }
    let checkout: YocoCheckout
    try {
      checkout = await this.client_.getCheckout(data.checkout_id)
    } catch (error) {
      if (isYocoApiError(error) && error.status === 404) {
        // Yoco does not know it (another account or mode): nothing was paid through it.
        return
      }
      // Yoco could not say: refusing keeps a possibly paid session; the cart change can be retried.
      throw yocoFailure(operation, error)
    }
    if (checkout.status === "completed") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Yoco ${operation} refused: checkout ${checkout.id} was paid (payment ${checkout.paymentId ?? "unknown"}); refund it instead`,
      )
    }
  }

  /** Reads the checkout and returns the data with its current status. */
  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const data = readSessionData("retrievePayment", input.data)
    const checkout = await this.call("retrievePayment", () => this.client_.getCheckout(requireCheckoutId("retrievePayment", data)))
    return { data: { ...data, checkout_status: checkout.status, payment_id: checkout.paymentId ?? undefined } }
  }

  /** The session's checkout: its data's `checkout_id`. */
  sessionPspReference(sessionData: Record<string, unknown>): string | undefined {
    return typeof sessionData.checkout_id === "string" ? sessionData.checkout_id : undefined
  }

  /** The refunds the payment's data records: requested through Medusa (`refunds`), or made at Yoco and recorded. */
  bookedRefunds(paymentData: Record<string, unknown>): RecordedRefund[] {
    const own = (readSessionData("reading refunds", paymentData).refunds ?? []).map((entry): RecordedRefund => ({
      psp_refund_id: entry.refund_id,
      amount: entry.amount,
      status: entry.status,
      external: false,
      ...(typeof entry.medusa_refund_id === "string" ? { medusa_refund_id: entry.medusa_refund_id } : {}),
    }))
    return [...own, ...externalRefundsOf(paymentData)]
  }

  /** The payment's data with the recorded refund's status set (`succeeded` or `failed`, from Yoco's webhook). */
  withRefundStatus(paymentData: Record<string, unknown>, pspRefundId: string, status: string): Record<string, unknown> | undefined {
    const refunds = readSessionData("recording a refund's status", paymentData).refunds ?? []
    if (refunds.some((entry) => entry.refund_id === pspRefundId)) {
      const next = status === "succeeded" || status === "failed" ? status : "pending"
      return { ...paymentData, refunds: refunds.map((entry) => (entry.refund_id === pspRefundId ? { ...entry, status: next } : entry)) }
    }
    return withExternalRefundStatus(paymentData, pspRefundId, status)
  }

  /** Verifies the Standard Webhooks signature (every configured secret, Yoco's window) and names the event: what the edge records. */
  protected verifyDelivery(payload: ProviderWebhookPayload["payload"]): { delivery: VerifiedDelivery; body: unknown } {
    return verifyYocoDelivery(this.options_, payload)
  }

  /**
   * Maps a recorded event. A `payment.succeeded` is always checked against the checkout retrieved
   * from Yoco (amount, currency, session), even when the event echoes the session id; events that
   * are not one of this store's payments are `not_supported` with the reason.
   */
  async interpretWebhook(delivery: StoredDelivery): Promise<MappedWebhookEvent> {
    return interpretYocoDelivery(this.client_, this.options_, this.logger_, delivery)
  }

  /** Where a session's checkout stands at Yoco, for reconciliation: completed is captured for the checkout's amount. */
  async readSessionTruth(sessionData: Record<string, unknown>): Promise<PaymentSessionTruth> {
    return readYocoSessionTruth(this.client_, sessionData)
  }

  /** The payment as the PSP shows it now (status, amount, captured, refunded), for the admin's order view; `signal` cancels the read. */
  async readPaymentView(sessionData: Record<string, unknown>, options: ReadPaymentViewOptions = {}): Promise<PspPaymentView> {
    return readYocoPaymentView(this.client_, sessionData, options.signal)
  }

  private async statusFromCheckout(operation: string, raw: Record<string, unknown> | undefined) {
    const data = readSessionData(operation, raw)
    if (data.canceled) {
      return { status: PaymentSessionStatus.CANCELED, data }
    }
    const checkout = await this.call(operation, () => this.client_.getCheckout(requireCheckoutId(operation, data)))
    const status = checkout.status === "completed" ? PaymentSessionStatus.CAPTURED : PaymentSessionStatus.PENDING
    return { status, data: { ...data, checkout_status: checkout.status, payment_id: checkout.paymentId ?? undefined } }
  }

  private createCheckout(operation: string, sessionId: string, amount: number, idempotencyKey: string): Promise<YocoCheckout> {
    const { successUrl, cancelUrl, failureUrl } = this.options_
    return this.call(operation, () =>
      this.client_.createCheckout(
        {
          amount,
          currency: "ZAR",
          successUrl: redirectUrlFor(successUrl, sessionId),
          cancelUrl: redirectUrlFor(cancelUrl, sessionId),
          failureUrl: redirectUrlFor(failureUrl, sessionId),
          // The marker lets a payment on this page after Medusa deleted the session be told from another store's.
          metadata: { session_id: sessionId, [STORE_MARKER_KEY]: this.storeMarkerFor(sessionId) },
        },
        { idempotencyKey },
      ),
    )
  }

  /** Validates currency and minimum before any call to Yoco. */
  private checkoutAmount(operation: string, amount: BigNumberInput, currencyCode: string): { amount: number; currency: "ZAR" } {
    if (currencyCode.toUpperCase() !== "ZAR") {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Yoco ${operation}: currency ${currencyCode.toUpperCase()} is not supported; Yoco only accepts ZAR`,
      )
    }
    const cents = this.centsFor(operation, amount, "ZAR")
    if (cents < YOCO_MIN_AMOUNT_CENTS) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Yoco ${operation}: amount R${fromMinorUnits(cents, "ZAR").toFixed(2)} is below Yoco's minimum of R${(YOCO_MIN_AMOUNT_CENTS / 100).toFixed(2)}`,
      )
    }
    return { amount: cents, currency: "ZAR" }
  }

  private centsFor(operation: string, amount: BigNumberInput, currency: string): number {
    try {
      return toMinorUnits(amount, currency)
    } catch (error) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Yoco ${operation}: ${error instanceof Error ? error.message : "invalid amount"}`,
      )
    }
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw yocoFailure(operation, error)
    }
  }
}

export default YocoProviderService
