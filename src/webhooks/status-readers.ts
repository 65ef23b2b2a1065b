import type { GetPaymentStatusInput, GetPaymentStatusOutput, Logger } from "@medusajs/framework/types"
import { StripeProviderService } from "../providers/stripe/service"
import { YocoProviderService } from "../providers/yoco/service"
import type { ProviderEntry } from "./handled-providers"

/** Reads a session's status at its PSP. */
export type StatusReader = { getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> }

const readers = new Map<string, StatusReader>()

/**
 * A provider instance built from the store's own config entry, used by reconciliation to ask
 * the PSP about a session (the payment module does not expose its providers' status calls).
 */
export function statusReader(entry: ProviderEntry, logger: Logger): StatusReader | undefined {
  const cached = readers.get(entry.key)
  if (cached) {
    return cached
  }
  let reader: StatusReader | undefined
  if (entry.identifier === StripeProviderService.identifier) {
    reader = new StripeProviderService({ logger }, entry.options)
  } else if (entry.identifier === YocoProviderService.identifier) {
    reader = new YocoProviderService({ logger }, entry.options)
  }
  if (reader) {
    readers.set(entry.key, reader)
  }
  return reader
}
