/**
 * `medusa exec <abs>/bench/profile/hot-path-stages.ts <in.json> <out.json>` in the benchmark store
 * (its server stopped, so nothing else competes): times each step the plugin's edge takes per
 * request, in the store's own container with the installed package (unindented), next to the
 * alternatives the figures were compared with (indented).
 */
import { readFileSync, writeFileSync } from "node:fs"
import type { ExecArgs, IEventBusModuleService, IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import { verifyStripeSignature } from "../../src/lib/signatures/stripe"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { bodyHash } from "../../src/webhooks/edge/body-hash"
import { eventBody, signDelivery, type EventTemplate } from "../load/stripe-bodies"
import { timeStages, type Stage } from "./stage-timer"

/** What the orchestrator hands over: a real session of `pp_stripe_mpw`, its event and the secret. */
export type StagesInput = { sessionId: string; template: EventTemplate; secret: string }

/** The parts of knex used here (the store's shared PostgreSQL pool). */
type RawRunner = {
  raw: (sql: string, bindings: unknown[]) => Promise<unknown>
  transaction: <T>(work: (trx: { raw: (sql: string, bindings: unknown[]) => Promise<unknown> }) => Promise<T>) => Promise<T>
}

/** The delivery insert alone, for the alternative of running it in a transaction. */
const INSERT = `INSERT INTO payment_webhook_event (id, provider_id, event_id, event_type, session_id, action, amount, raw_amount,
   currency_code, status, source, attempts, last_error, received_at, processed_at, body_hash, details, raw_body, created_at, updated_at)
 VALUES (?, 'stripe_mpw', ?, 'payment_intent.succeeded', ?, 'captured', 25, '{"value":"25","precision":20}', 'usd', 'ignored', 'webhook',
   0, 'benchmark stage', now(), now(), ?, NULL, ?, now(), now())
 ON CONFLICT (provider_id, event_id) WHERE deleted_at IS NULL
 DO UPDATE SET deliveries = payment_webhook_event.deliveries + 1, updated_at = now()
 RETURNING id, (xmax = 0) AS inserted`

export default async function hotPathStages({ container, args }: ExecArgs): Promise<void> {
  const [inFile, outFile] = args
  const input: StagesInput = JSON.parse(readFileSync(inFile, "utf8"))
  const payment = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const pg = container.resolve<RawRunner>(ContainerRegistrationKeys.PG_CONNECTION)
  const signed = signDelivery(eventBody(input.template, "evt_bench_stage"), input.secret)
  const raw = Buffer.from(signed.body)
  const data: Record<string, unknown> = JSON.parse(signed.body)
  const header = signed.headers["stripe-signature"]
  const recordInput = (eventId: string) => ({
    provider_id: "stripe_mpw", event_id: eventId, event_type: "payment_intent.succeeded", source: "webhook" as const,
    body_hash: bodyHash(raw), raw_body: signed.body,
  })
  const stages: Stage[] = [
    {
      name: "verifyStripeSignature (the SDK's constructEvent, as the edge calls it)",
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
      name: "  one INSERT per delivery, in a transaction with SET LOCAL statement_timeout",
      run: (index) =>
        pg.transaction(async (trx) => {
          await trx.raw("SET LOCAL statement_timeout = 3000", [])
          return trx.raw(INSERT, [generateEntityId(undefined, "pwhevt"), `evt_bench_stage_trx_${index}`, input.sessionId, bodyHash(raw), signed.body])
        }),
    },
    {
      name: "eventBus.emit with a delay (all Medusa's route does; the edge does it after answering)",
      run: () => eventBus.emit({ name: "benchmark.stage_noop", data: { provider: "stripe_mpw" } }, { delay: 1 }),
    },
  ]
  const timings = await timeStages(stages)
  await pg.raw("DELETE FROM payment_webhook_event WHERE event_id LIKE 'evt_bench_stage_%'", [])
  writeFileSync(outFile, JSON.stringify(timings, null, 2))
}
