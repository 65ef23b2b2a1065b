/**
 * `medusa exec <abs>/bench/profile/hot-path-stages.ts <in.json> <out.json>` in the benchmark store
 * (its server stopped, so nothing else competes): times each step the plugin's edge takes per
 * request, in the store's own container with the installed package (unindented), next to the
 * alternatives the figures were compared with (indented).
 */
import { readFileSync, writeFileSync } from "node:fs"
import type { ExecArgs, IEventBusModuleService, IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { verifyStripeSignature } from "../../src/providers/stripe/signature"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { bodyHash } from "../../src/webhooks/edge/body-hash"
import { eventBody, signDelivery, type EventTemplate } from "../load/stripe-bodies"
import { timeStages, type Stage } from "./stage-timer"

/** What the orchestrator hands over: a real session of `pp_stripe_mpw`, its event and the secret. */
export type StagesInput = { sessionId: string; template: EventTemplate; secret: string }

export default async function hotPathStages({ container, args }: ExecArgs): Promise<void> {
  const [inFile, outFile] = args
  const input: StagesInput = JSON.parse(readFileSync(inFile, "utf8"))
  const payment = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const signed = signDelivery(eventBody(input.template, "evt_bench_stage"), input.secret)
  const raw = Buffer.from(signed.body)
  const data: Record<string, unknown> = JSON.parse(signed.body)
  const header = signed.headers["stripe-signature"]
  const recordInput = (eventId: string) => ({
    provider_id: "stripe_mpw",
    event_id: eventId,
    event_type: "payment_intent.succeeded",
    source: "webhook" as const,
    body_hash: bodyHash(raw),
    raw_body: signed.body,
  })
  const stages: Stage[] = [
    {
      name: "verifyStripeSignature (the SDK's constructEvent, once per configured secret, as the provider's edge verification calls it)",
      run: async () => verifyStripeSignature({ rawBody: raw, header, secrets: [input.secret], toleranceSeconds: 300 }),
    },
    {
      name: "  paymentModule.getWebhookActionAndData (module wrappers)",
      run: () => payment.getWebhookActionAndData({ provider: "stripe_mpw", payload: { data, rawData: raw, headers: signed.headers } }),
    },
    {
      name: "inbox.recordDelivery: INSERT … ON CONFLICT, one statement, grouped",
      run: (index) => inbox.recordDelivery(recordInput(`evt_bench_stage_record_${index}`)),
    },
    {
      name: "eventBus.emit with a delay (all Medusa's route does; the edge does it after answering)",
      run: () => eventBus.emit({ name: "benchmark.stage_noop", data: { provider: "stripe_mpw" } }, { delay: 1 }),
    },
  ]
  const timings = await timeStages(stages)
  await inbox.deletePaymentWebhookEvents({ event_id: { $like: "evt_bench_stage_%" } })
  writeFileSync(outFile, JSON.stringify(timings, null, 2))
}
