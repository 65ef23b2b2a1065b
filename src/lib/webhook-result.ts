import type { PaymentActions, WebhookActionData } from "@medusajs/framework/types"

import type { RecordedRefund } from "./external-refunds"

/**
 * A refund as the PSP knows it, in the currency's major unit: `status` is `succeeded`, `pending` (or
 * another waiting state), or `failed` / `canceled` (with `failure_reason`); `medusa_refund_id` when
 * Medusa asked for it and the PSP keeps it.
 */
export type PspRefund = { id: string; amount: number; status: string; medusa_refund_id?: string; failure_reason?: string | null }

/** A dispute (chargeback) as the PSP knows it, amounts in the major unit. */
export type PspDispute = {
  id: string
  status: string
  /** Decided at the PSP (won, lost…): a late `opened` must not reopen it. */
  closed: boolean
  reason: string | null
  amount: number
  currency_code: string
  evidence_due_by: string | null
}

/**
 * What an event means beyond Medusa's own authorize/capture: carried out by this plugin,
 * since Medusa's subscriber drops every other action.
 */
export type WebhookEffect =
  | { kind: "payment_failed"; reason: string | null }
  | { kind: "payment_canceled"; reason: string | null }
  /** Refunds that exist at the PSP for the payment (made anywhere: Medusa or a dashboard), in whatever state. */
  | { kind: "refunds"; refunds: PspRefund[] }
  | { kind: "dispute"; phase: "opened" | "closed"; dispute: PspDispute }

/**
 * What a provider's `getWebhookActionAndData` returns: Medusa's `WebhookActionResult`, plus the
 * facts the inbox records (event id and type, currency), what the plugin must do beyond Medusa
 * (`effect`) and, when nothing is to be done, why.
 */
export type MappedWebhookEvent = {
  /** The Medusa payment action. */
  action: PaymentActions
  /** Session and amount (major unit) for actions that concern a payment session. */
  data?: WebhookActionData
  /** The PSP's event id (Stripe `evt_…`, Yoco `webhook-id`). */
  event_id?: string
  /** The PSP's event type, e.g. `payment_intent.succeeded`. */
  event_type?: string
  /** ISO currency code of `data.amount`, lower-case. */
  currency_code?: string
  /** What this plugin carries into Medusa for events Medusa itself ignores. */
  effect?: WebhookEffect
  /** Why the event leads to no action (`not_supported`). */
  reason?: string
  /** The PSP's own id of the payment (Stripe `pi_…`, Yoco `ch_…`), for a person who must look it up. */
  psp_reference?: string
  /**
   * True when the PSP object carries this store's marker (see `store-marker.ts`): the provider
   * created it for one of this store's sessions. Lets a paid event whose session is gone be told from
   * another store's payment on the same PSP account. Absent for objects made before markers.
   */
  created_here?: boolean
  /**
   * The provider data a session of this payment holds, enough for `readSessionTruth` to ask the PSP
   * where the payment stands now once the session itself is gone (set with `created_here`).
   */
  session_data?: Record<string, unknown>
}

/** What the edge takes from a delivery whose signature checked out: the PSP's event id and type. */
export type VerifiedDelivery = { event_id: string; event_type: string }

/** A recorded delivery as the processor hands it back to its provider: the event id and the parsed body. */
export type StoredDelivery = { event_id: string; body: unknown }

/** What the PSP says of a payment session now, for reconciliation: the action it amounts to, or none yet. */
export type PaymentSessionTruth = { mapped?: MappedWebhookEvent; psp_status: string }

/**
 * A payment as the PSP shows it now, for a person comparing it with Medusa's: amounts in the
 * currency's major unit.
 */
export type PspPaymentView = { status: string; amount: number; captured: number; refunded: number; currency_code: string }

/** How a caller bounds one {@link WebhookSource.readPaymentView}. */
export type ReadPaymentViewOptions = {
  /** Aborts the PSP call (retries included) when it fires: the provider stops waiting and closes the request. */
  signal?: AbortSignal
}

/**
 * The webhook side of every provider of this package. The edge calls only `verifyWebhook` (pure: no
 * I/O); the processor calls `interpretWebhook` (may ask the PSP) on what the edge recorded, and
 * reconciliation calls `readSessionTruth`. `getWebhookActionAndData` is both in one, for Medusa's own route.
 */
export interface WebhookSource {
  /** Verifies the signature on the raw body; throws `WebhookVerificationError` for anything unverified. */
  verifyWebhook(payload: { data: Record<string, unknown>; rawData: string | Buffer; headers: Record<string, unknown> }): VerifiedDelivery
  /** Maps a verified, recorded event to what Medusa must do; throws `UnusableEventError` for content it cannot use. */
  interpretWebhook(delivery: StoredDelivery): Promise<MappedWebhookEvent>
  /** Asks the PSP where a session's payment stands (the session's provider data in, the action out). */
  readSessionTruth(sessionData: Record<string, unknown>): Promise<PaymentSessionTruth>
  /**
   * Reads the payment at the PSP for the admin (the session's or payment's provider data in); throws when the PSP cannot say.
   * `signal` cancels the PSP's HTTP call itself (the connection is closed), not only the wait for it.
   */
  readPaymentView(sessionData: Record<string, unknown>, options?: ReadPaymentViewOptions): Promise<PspPaymentView>
  /** The PSP object a session pays through (Stripe's PaymentIntent, Yoco's checkout), as the session's data names it. */
  sessionPspReference(sessionData: Record<string, unknown>): string | undefined
  /** The refunds a payment's data records as booked, whichever way they were made. */
  bookedRefunds(paymentData: Record<string, unknown>): RecordedRefund[]
  /** The payment's data with the recorded refund `pspRefundId`'s status set; undefined when it is not recorded there. */
  withRefundStatus(paymentData: Record<string, unknown>, pspRefundId: string, status: string): Record<string, unknown> | undefined
  /** The note that records the PSP's refund on a Medusa refund, marked as this store's (see `external-refunds.ts`). */
  externalRefundNote(paymentId: string, pspRefundId: string): string
  /** The PSP refund a marked note records on payment `paymentId`; undefined for any other note. */
  externalRefundOfNote(note: string | null | undefined, paymentId: string): string | undefined
  /** Whether refunds made at the PSP can be recorded through Medusa without refunding twice. */
  canRecordExternalRefunds(): boolean
  /** A major-unit amount in the PSP's integer minor units, as the PSP charges it (its own currency exponents). */
  minorUnits(amount: number, currencyCode: string): number
  /** How many webhook signing secrets the provider accepts (never the secrets themselves). */
  webhookSecretCount(): number
}
