import type { StoreProcess } from "../../integration-tests/support/store-process"
import { eventBody, signDelivery, type EventTemplate } from "../load/stripe-bodies"
import { withDb } from "./db"
import { backdateEvent, inboxTableExists, rowOfEvent, setAside } from "../../src/modules/payment-webhooks/inspection"

/** One check that the store runs the plugin from the built package. */
export type LoadCheck = { name: string; ok: boolean; detail: string }

const PROBE_EVENT = "evt_bench_probe_job"

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(15_000) })
  return { status: response.status, text: (await response.text()).slice(0, 200) }
}

/**
 * Proves the plugin's module, middleware and job are loaded from the package (the store project
 * has no `src/`): its migration created the inbox table; a forged delivery to `stripe_mpw` gets
 * 400 from the plugin's edge while one to `stripe_stripe` gets Medusa's 200; a signed one is
 * recorded and answered by the edge itself; and the job claims it once it is backdated. The store must run with `PAYMENT_WEBHOOKS_JOB_INTERVAL_MS` short.
 */
export async function checkPluginLoaded(
  store: StoreProcess,
  template: EventTemplate,
  secret: string,
  jobWaitMs = 20_000,
): Promise<LoadCheck[]> {
  const checks: LoadCheck[] = []
  const forgedBody = eventBody(template, "evt_bench_forged")
  const forged = signDelivery(forgedBody, "whsec_forged_by_the_benchmark")
  const table = await withDb(store.databaseUrl, (db) => inboxTableExists(db))
  checks.push({ name: "migration: inbox table exists", ok: table, detail: table ? "created" : "missing" })

  const plugin = await post(`${store.url}/hooks/payment/stripe_mpw`, forged.body, forged.headers)
  checks.push({ name: "middleware: forged → stripe_mpw answers 400", ok: plugin.status === 400, detail: `${plugin.status} ${plugin.text}` })
  const medusa = await post(`${store.url}/hooks/payment/stripe_stripe`, forged.body, forged.headers)
  checks.push({
    name: "Medusa's route: forged → stripe_stripe answers 200",
    ok: medusa.status === 200,
    detail: `${medusa.status} ${medusa.text}`,
  })

  const signed = signDelivery(eventBody(template, PROBE_EVENT), secret)
  const accepted = await post(`${store.url}/hooks/payment/stripe_mpw`, signed.body, signed.headers)
  const recorded = await withDb(store.databaseUrl, (db) => rowOfEvent(db, PROBE_EVENT))
  checks.push({
    name: "module: signed → recorded and answered by the edge",
    ok: accepted.status === 200 && accepted.text === `{"received":true}` && recorded !== undefined,
    detail: `${accepted.status} ${accepted.text}; row ${recorded?.status ?? "missing"}`,
  })

  checks.push(await checkJob(store.databaseUrl, jobWaitMs))
  return checks
}

/** Backdates the probe row and waits for the job to claim it (attempts > 0), then settles it. */
async function checkJob(databaseUrl: string, waitMs: number): Promise<LoadCheck> {
  return withDb(databaseUrl, async (db) => {
    await backdateEvent(db, PROBE_EVENT, 3600)
    const deadline = Date.now() + waitMs
    let attempts = 0
    let status = "received"
    while (Date.now() < deadline && attempts === 0 && status === "received") {
      await new Promise((resolve) => setTimeout(resolve, 250))
      const row = await rowOfEvent(db, PROBE_EVENT)
      attempts = row?.attempts ?? 0
      status = row?.status ?? "missing"
    }
    await setAside(db, { eventIdPrefix: PROBE_EVENT }, "benchmark: probe")
    const ok = status !== "missing" && (attempts > 0 || status !== "received")
    return { name: "job: the processor claims a backdated delivery", ok, detail: `attempts ${attempts}, status ${status}` }
  })
}
