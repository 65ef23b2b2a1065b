import type { ConfigModule, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { databaseReason, errorMessage } from "../../lib/errors"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type { InboxFigures } from "../../modules/payment-webhooks/health-figures"
import type { JobRunRow } from "../../modules/payment-webhooks/job-runs"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import type { PaymentWebhooksHealth } from "../../types/admin-api"
import { judgeHealth } from "./judge"
import { jobIntervalMs, overdueAfterSeconds, REDRIVE_JOB_NAME } from "./job-schedule"
import { moduleBackends } from "../../modules/payment-webhooks/module-backends"
import { providerHealth } from "./providers"

/** How long each of the health check's statements may run before the database cancels it (the inbox is then reported unreachable). */
const STATEMENT_TIMEOUT_MS = 3000
/**
 * How long the health check waits in all, a connection from the pool included. Past it the answer goes
 * out without the figures; a read still waiting for a connection runs later under its statement timeout.
 */
const READ_TIMEOUT_MS = 5000

/** The answer of `GET /admin/payment-webhooks/health` (the admin contract's). */
export type HealthReport = PaymentWebhooksHealth

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString())

/**
 * Reads the heartbeat and the inbox's figures; an error (or a timeout) means the inbox is unreachable.
 * The database cancels a statement that runs past {@link STATEMENT_TIMEOUT_MS}: a locked or overloaded
 * table must not keep one of the pool's connections for every health probe that asked.
 */
async function readInbox(
  inbox: PaymentWebhooksModuleService,
): Promise<{ job: JobRunRow | null; figures: InboxFigures } | { error: string }> {
  try {
    return await withTimeout(
      inbox.healthReadings(REDRIVE_JOB_NAME, overdueAfterSeconds(inbox.inboxOptions.redriveAfterSeconds), STATEMENT_TIMEOUT_MS),
      READ_TIMEOUT_MS,
      "reading the inbox",
    )
  } catch (error) {
    return { error: databaseReason(error) }
  }
}

/**
 * Gathers what the health check reports: the job's heartbeat, the backlog and the day's failures
 * (one database read), this package's providers and whether each has a secret, and the backends of
 * the modules servers and a worker must share; then judges them (see {@link judgeHealth}).
 */
export async function healthReport(container: MedusaContainer): Promise<HealthReport> {
  const config = container.resolve<ConfigModule>(ContainerRegistrationKeys.CONFIG_MODULE)
  const modules = moduleBackends(config)
  const registered = container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)
  const inbox = registered ? container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE) : null
  const [read, providers] = await Promise.all([
    inbox ? readInbox(inbox) : Promise.resolve({ error: "the plugin entry (the inbox module) is not registered in this store" }),
    providerHealth(container).catch((error: unknown) => ({ error: errorMessage(error) })),
  ])
  const job = "error" in read ? null : read.job
  const verdict = judgeHealth({
    job,
    intervalMs: jobIntervalMs(),
    inbox: "error" in read ? { error: read.error } : { figures: read.figures },
    providers,
    modules,
    inboxEnabled: inbox?.inboxOptions.enabled ?? false,
    backlogAlertSeconds: inbox?.inboxOptions.alertBacklogAgeSeconds ?? Number.POSITIVE_INFINITY,
  })
  const figures = "error" in read ? null : read.figures
  return {
    status: verdict.status,
    job: job && {
      last_ran_at: iso(job.finished_at),
      started_at: iso(job.started_at) ?? "",
      process_kind: job.process_kind,
      host: job.host,
      pid: job.pid,
      duration_ms: job.duration_ms,
      summary: job.summary,
      last_error: job.last_error,
    },
    job_interval_ms: verdict.job_interval_ms,
    backlog: figures && { unprocessed: figures.unprocessed, oldest_age_seconds: figures.oldest_age_seconds, overdue: figures.overdue },
    failures_24h: figures?.failures_24h ?? null,
    needs_attention_24h: figures?.needs_attention_24h ?? null,
    providers: "error" in providers ? [] : providers,
    modules,
    problems: verdict.problems,
  }
}
