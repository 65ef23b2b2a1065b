import type { InboxFigures } from "../../modules/payment-webhooks/health-figures"
import type { JobRunRow } from "../../modules/payment-webhooks/job-runs"
import { REDRIVE_JOB_NAME, STALE_AFTER_PERIODS } from "./job-schedule"
import type { PaymentWebhooksHealth, PaymentWebhooksHealthStatus } from "../../types/admin-api"

type ModuleBackends = PaymentWebhooksHealth["modules"]
type ModuleBackend = ModuleBackends["event_bus"]

/** `failing` answers 503 (the job is not running, or the inbox cannot be read); `degraded` and `ok` answer 200. */
export type HealthStatus = PaymentWebhooksHealthStatus

/** A provider as the health check shows it: never its secret, only whether it has one. */
export type ProviderHealth = PaymentWebhooksHealth["providers"][number]

/** Everything the verdict is made of. */
export type HealthFacts = {
  job: JobRunRow | null
  /** This process's idea of the period, used until the job has recorded its own. */
  intervalMs: number
  inbox: { figures: InboxFigures } | { error: string }
  providers: ProviderHealth[] | { error: string }
  modules: ModuleBackends
  inboxEnabled: boolean
  /** The inbox's `alertBacklogAgeSeconds`: a delivery due for longer than this, and not processed, is a problem. */
  backlogAlertSeconds: number
}

/** The verdict: a status and the problems behind it, each one line a person can act on. */
export type HealthVerdict = { status: HealthStatus; problems: string[]; job_interval_ms: number }

/** The modules that hold their state in one process while servers and a worker run apart. */
function processLocal(modules: ModuleBackends): string[] {
  const named: Array<[string, ModuleBackend]> = [
    ["event bus", modules.event_bus],
    ["workflow engine", modules.workflow_engine],
    ["cache", modules.cache],
    ["locking", modules.locking],
  ]
  return named.filter(([, backend]) => backend === "in-memory").map(([name]) => name)
}

function jobProblems(facts: HealthFacts, intervalMs: number): { failing: string[]; degraded: string[] } {
  const job = facts.job
  const periods = `${STALE_AFTER_PERIODS} periods of ${Math.round(intervalMs / 1000)} s`
  if (!job) {
    return {
      failing: [
        `The job ${REDRIVE_JOB_NAME} has not run yet: it runs on a process with MEDUSA_WORKER_MODE=worker or shared; without it, deliveries whose announcement was lost are never taken up`,
      ],
      degraded: [],
    }
  }
  const where = `on ${job.process_kind} ${job.host} pid ${job.pid}`
  const ageSeconds = job.finished_age_seconds ?? job.started_age_seconds
  const degraded = job.last_error ? [`The job's last pass (${where}) failed: ${job.last_error}`] : []
  if (ageSeconds * 1000 > STALE_AFTER_PERIODS * intervalMs) {
    const what =
      job.finished_age_seconds === null
        ? `started its only pass ${Math.round(ageSeconds)} s ago and never finished it`
        : `last finished a pass ${Math.round(ageSeconds)} s ago`
    return { failing: [`The job ${REDRIVE_JOB_NAME} ${what} (${where}), more than ${periods}`], degraded }
  }
  return { failing: [], degraded }
}

function inboxProblems(facts: HealthFacts): { failing: string[]; degraded: string[] } {
  if ("error" in facts.inbox) {
    return { failing: [`The webhook inbox could not be read: ${facts.inbox.error}`], degraded: [] }
  }
  const figures = facts.inbox.figures
  const degraded: string[] = []
  if (figures.oldest_age_seconds !== null && figures.oldest_age_seconds > facts.backlogAlertSeconds) {
    degraded.push(
      `A delivery has been due for ${figures.oldest_age_seconds} s and is not processed yet (alertBacklogAgeSeconds: ${facts.backlogAlertSeconds})`,
    )
  }
  if (figures.overdue > 0) {
    degraded.push(`${figures.overdue} deliveries are due but the job has not taken them up`)
  }
  if (figures.failures_24h > 0) {
    degraded.push(
      `${figures.failures_24h} deliveries failed in the last 24 h: see GET /admin/payment-webhooks?status=failed and replay them`,
    )
  }
  if (figures.needs_attention_24h > 0) {
    degraded.push(
      `${figures.needs_attention_24h} payments need a person's attention (last 24 h): paid at the PSP but no order, or a wrong amount`,
    )
  }
  return { failing: [], degraded }
}

function configProblems(facts: HealthFacts): string[] {
  const problems: string[] = []
  if (!facts.inboxEnabled) {
    problems.push(
      "The plugin entry is disabled (enabled: false): this package's deliveries go to Medusa's own route, unverified and unrecorded",
    )
  }
  if ("error" in facts.providers) {
    problems.push(`The payment providers could not be listed: ${facts.providers.error}`)
  } else if (!facts.providers.length) {
    problems.push("No payment provider of medusa-payment-webhooks is registered and enabled in the payment module")
  } else {
    for (const provider of facts.providers.filter((candidate) => candidate.webhook_secret_configured === false)) {
      problems.push(`Provider ${provider.key} has no webhook secret: its deliveries cannot be verified`)
    }
  }
  const split = facts.modules.worker_mode !== "shared" || (facts.job !== null && facts.job.process_kind !== "shared")
  const local = processLocal(facts.modules)
  if (split && local.length) {
    problems.push(
      `Servers and a worker run apart (this process: ${facts.modules.worker_mode}${facts.job ? `, the job's: ${facts.job.process_kind}` : ""}) ` +
        `but this process uses Medusa's in-memory ${local.join(", ")}: register the Redis modules on every process (README, Production)`,
    )
  }
  return problems
}

/**
 * Judges the facts: `failing` when the job has not finished a pass for {@link STALE_AFTER_PERIODS}
 * of its periods (or never ran) or the inbox cannot be read; `degraded` for anything a person should
 * fix that does not stop deliveries from being recorded and processed; else `ok`.
 */
export function judgeHealth(facts: HealthFacts): HealthVerdict {
  const intervalMs = facts.job?.interval_ms || facts.intervalMs
  // An unreadable inbox hides the job's heartbeat too (one database): its "never ran" would only mislead.
  const job = "error" in facts.inbox ? { failing: [], degraded: [] } : jobProblems(facts, intervalMs)
  const inbox = inboxProblems(facts)
  const failing = [...inbox.failing, ...job.failing]
  const degraded = [...job.degraded, ...inbox.degraded, ...configProblems(facts)]
  const status: HealthStatus = failing.length ? "failing" : degraded.length ? "degraded" : "ok"
  return { status, problems: [...failing, ...degraded], job_interval_ms: intervalMs }
}
