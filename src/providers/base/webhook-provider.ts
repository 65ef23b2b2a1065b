import type { Logger, ProviderWebhookPayload } from "@medusajs/framework/types"
import { AbstractPaymentProvider } from "@medusajs/framework/utils"
import { externalRefundNote, readExternalRefundNote, type RecordedRefund } from "../../lib/external-refunds"
import { secretList } from "../../lib/options"
import { isStoreMarker, storeMarker } from "../../lib/store-marker"
import type {
  MappedWebhookEvent,
  PaymentSessionTruth,
  PspPaymentView,
  ReadPaymentViewOptions,
  StoredDelivery,
  VerifiedDelivery,
  WebhookSource,
} from "../../lib/webhook-result"
import { toMinorUnits } from "./money"
import { MedusaPaymentRecords } from "./payment-records"

/** What Medusa hands a provider's webhook calls: the parsed body, the raw bytes, the headers. */
type WebhookPayload = ProviderWebhookPayload["payload"]

/** What every provider of this package is configured with, beside its PSP's own options. */
export type WebhookProviderOptions = { webhookSecret: string | string[] }

/** What a provider resolves from the payment module's container. */
export type WebhookProviderCradle = { logger: Logger }

/**
 * The half every provider of this package shares: the webhook port the edge and the processor call
 * ({@link WebhookSource}), the store's marks made with the webhook secret, and Medusa's own records
 * of the payment, read where Medusa passes the provider less than it books.
 */
export abstract class WebhookPaymentProvider<TOptions extends WebhookProviderOptions>
  extends AbstractPaymentProvider<TOptions>
  implements WebhookSource
{
  /** Marks this package's providers: the webhook edge takes their deliveries, and must know how to verify them. */
  static readonly webhookInbox = true
  /** Request headers that carry the PSP's signature: never kept once verified (see the edge and the trace wrapper). */
  static readonly signatureHeaders: readonly string[] = []

  protected readonly options_: TOptions
  protected readonly logger_: Logger
  protected readonly records_: MedusaPaymentRecords

  constructor(cradle: WebhookProviderCradle, options: TOptions) {
    super(cradle, options)
    this.options_ = options
    this.logger_ = cradle.logger
    this.records_ = new MedusaPaymentRecords(cradle)
  }

  /** Every webhook secret configured (several while one is rolled). */
  protected get secrets_(): readonly string[] {
    return secretList(this.options_.webhookSecret)
  }

  /** The marker this store puts on the PSP object it creates for `sessionId` (see `store-marker.ts`). */
  protected storeMarkerFor(sessionId: string): string {
    return storeMarker(this.secrets_, sessionId)
  }

  /** The note of the Medusa refund that records the PSP's refund `pspRefundId` on payment `paymentId`. */
  externalRefundNote(paymentId: string, pspRefundId: string): string {
    return externalRefundNote(pspRefundId, storeMarker(this.secrets_, refundSubject(paymentId, pspRefundId)))
  }

  /**
   * The PSP refund a Medusa refund's note says it records, when the note carries this store's mark for
   * that payment: a note an admin typed by hand, however alike, names nothing.
   */
  externalRefundOfNote(note: string | null | undefined, paymentId: string): string | undefined {
    const read = readExternalRefundNote(note)
    return read?.mark && isStoreMarker(read.mark, this.secrets_, refundSubject(paymentId, read.psp_refund_id))
      ? read.psp_refund_id
      : undefined
  }

  /**
   * Whether a refund made at the PSP can be recorded through Medusa without a second refund: only
   * when this provider can read the note on the Refund row Medusa hands it.
   */
  canRecordExternalRefunds(): boolean {
    return this.records_.available
  }

  /** A major-unit amount in the PSP's minor units (zero- and three-decimal currencies included). */
  minorUnits(amount: number, currencyCode: string): number {
    return toMinorUnits(amount, currencyCode)
  }

  /** How many webhook signing secrets are configured: the health check shows the count, never a secret. */
  webhookSecretCount(): number {
    return this.secrets_.length
  }

  /** Verifies the PSP's signature on the raw body and names the event: what the edge records. */
  verifyWebhook(payload: WebhookPayload): VerifiedDelivery {
    return this.verifyDelivery(payload).delivery
  }

  /**
   * Medusa's webhook entry point, for stores that use the built-in route without the plugin entry:
   * verifies, then maps. Throws `WebhookVerificationError` for anything unverified.
   */
  async getWebhookActionAndData(payload: WebhookPayload): Promise<MappedWebhookEvent> {
    const { delivery, body } = this.verifyDelivery(payload)
    const mapped = await this.interpretWebhook({ event_id: delivery.event_id, body })
    if (mapped.reason) {
      this.logger_.debug(
        `${this.constructor.name} webhook ${delivery.event_id} (${delivery.event_type}) leads to no action: ${mapped.reason}`,
      )
    }
    return mapped
  }

  /** Verifies the signature on the raw body: the event's id and type, and the verified body to map. */
  protected abstract verifyDelivery(payload: WebhookPayload): { delivery: VerifiedDelivery; body: unknown }
  abstract interpretWebhook(delivery: StoredDelivery): Promise<MappedWebhookEvent>
  abstract readSessionTruth(sessionData: Record<string, unknown>): Promise<PaymentSessionTruth>
  abstract readPaymentView(sessionData: Record<string, unknown>, options?: ReadPaymentViewOptions): Promise<PspPaymentView>
  abstract sessionPspReference(sessionData: Record<string, unknown>): string | undefined
  abstract bookedRefunds(paymentData: Record<string, unknown>): RecordedRefund[]
  abstract withRefundStatus(paymentData: Record<string, unknown>, pspRefundId: string, status: string): Record<string, unknown> | undefined
}

/** What a refund's mark signs: the payment and the PSP's refund, so a mark is good for that pair only. */
function refundSubject(paymentId: string, pspRefundId: string): string {
  return `refund:${paymentId}:${pspRefundId}`
}
