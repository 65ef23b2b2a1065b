import type { MedusaContainer } from "@medusajs/framework/types"
import { errorMessage } from "../../lib/errors"
import type { OrderPaymentComparison } from "../../types/admin-api"
import { webhookSources } from "../edge/webhook-sources"

/** How long the admin waits for a PSP before showing the payment without its view. */
const PSP_TIMEOUT_MS = 10_000

/** The PSP's view of a payment, or why there is none: the widget shows Medusa's side either way. */
export type PspViewResult = Pick<OrderPaymentComparison, "psp" | "psp_error">

/** Asks the payment's provider what the PSP shows now; a failure (or a provider not of this plugin) is an error text, never a throw. */
export async function pspViewOf(
  container: MedusaContainer,
  providerId: string,
  data: Record<string, unknown> | null,
): Promise<PspViewResult> {
  const key = providerId.replace(/^pp_/, "")
  let timer: NodeJS.Timeout | undefined
  try {
    const source = (await webhookSources(container)).get(key)
    if (!source) {
      return { psp: null, psp_error: `payment provider ${providerId} is not one of medusa-payment-webhooks' providers` }
    }
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the PSP did not answer within ${PSP_TIMEOUT_MS / 1000} s`)), PSP_TIMEOUT_MS)
    })
    const view = await Promise.race([source.readPaymentView(data ?? {}), timeout])
    return { psp: view }
  } catch (error) {
    return { psp: null, psp_error: errorMessage(error, 300) }
  } finally {
    clearTimeout(timer)
  }
}
