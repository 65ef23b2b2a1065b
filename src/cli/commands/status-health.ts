import { z } from "zod"
import type { PaymentWebhooksHealth } from "../../types/admin-api"
import type { AdminTarget } from "../admin-client"
import { CommandFailed, EXIT_FAILED, EXIT_OK, type CliContext } from "../context"
import { answerMessage, request } from "../http"
import { parseAnswer, shortTime, type AcceptsContract } from "../webhook-row"

const PATH = "/admin/payment-webhooks/health"

/** The fields of `GET /admin/payment-webhooks/health` the summary shows. */
const healthSchema = z.looseObject({
  status: z.string(),
  job: z
    .looseObject({
      last_ran_at: z.string().nullable(),
      process_kind: z.string(),
      host: z.string(),
      pid: z.number(),
      last_error: z.string().nullable().optional(),
    })
    .nullable(),
  job_interval_ms: z.number(),
  backlog: z.looseObject({ unprocessed: z.number(), oldest_age_seconds: z.number().nullable(), overdue: z.number().optional() }).nullable(),
  failures_24h: z.number().nullable(),
  needs_attention_24h: z.number().nullable().optional(),
  providers: z.array(
    z.looseObject({
      key: z.string(),
      webhook_secret_configured: z.boolean().nullable(),
      webhook_secrets: z.number().nullable().optional(),
    }),
  ),
  modules: z.looseObject({
    event_bus: z.string(),
    workflow_engine: z.string(),
    cache: z.string(),
    locking: z.string(),
    worker_mode: z.string(),
  }),
  problems: z.array(z.string()),
})

// Every answer the admin contract allows parses here (see `AcceptsContract`).
type _HealthAccepted = AcceptsContract<typeof healthSchema, PaymentWebhooksHealth>

type Health = z.infer<typeof healthSchema>

function jobLine(health: Health): string {
  const every = `every ${Math.round(health.job_interval_ms / 1000)} s`
  if (!health.job) {
    return `never ran (${every})`
  }
  const when = health.job.last_ran_at ? `last ran ${shortTime(health.job.last_ran_at)}` : "started, never finished a pass"
  return `${when} on ${health.job.process_kind} ${health.job.host} pid ${health.job.pid} (${every})`
}

function backlogLine(health: Health): string {
  if (!health.backlog) {
    return "unknown"
  }
  const oldest = health.backlog.oldest_age_seconds === null ? "" : `, the oldest due for ${health.backlog.oldest_age_seconds} s`
  const overdue = health.backlog.overdue ? `, ${health.backlog.overdue} overdue` : ""
  return `${health.backlog.unprocessed} unprocessed${oldest}${overdue}`
}

function providerText(provider: Health["providers"][number]): string {
  const secret =
    provider.webhook_secret_configured === null
      ? "unknown"
      : provider.webhook_secret_configured
        ? `${provider.webhook_secrets ?? 1}`
        : "MISSING"
  return `${provider.key} (secrets: ${secret})`
}

/** The human summary of a health answer: a few labelled lines, then each problem. */
export function formatHealth(health: Health, httpStatus: number): string {
  const modules = health.modules
  const lines = [
    `Payment webhooks: ${health.status} (HTTP ${httpStatus})`,
    `Job:        ${jobLine(health)}`,
    `Backlog:    ${backlogLine(health)}`,
    `Last 24 h:  ${health.failures_24h ?? "?"} failed, ${health.needs_attention_24h ?? "?"} need attention`,
    `Providers:  ${health.providers.map(providerText).join(", ") || "none"}`,
    `Modules:    event bus ${modules.event_bus}, workflow engine ${modules.workflow_engine}, cache ${modules.cache}, locking ${modules.locking}; this server: ${modules.worker_mode}`,
  ]
  if (health.problems.length) {
    lines.push("Problems:", ...health.problems.map((problem) => `  - ${problem}`))
  }
  return lines.join("\n")
}

/**
 * `status --health`: asks the store's health route and prints a short summary (or, with `json`, its
 * answer). Exit code 0 when the store answers 2xx, 1 otherwise (503: the job is not running or the
 * inbox cannot be read), so a cron line or a deploy script can act on it.
 */
export async function runHealth(target: AdminTarget, json: boolean, context: CliContext): Promise<number> {
  const url = new URL(PATH, target.url)
  const authorization = `Basic ${Buffer.from(`${target.token}:`).toString("base64")}`
  const answer = await request(url, { method: "GET", headers: { authorization, accept: "application/json" } })
  const ok = answer.status >= 200 && answer.status < 300
  let body: unknown
  try {
    body = JSON.parse(answer.body)
  } catch {
    body = undefined
  }
  const report = healthSchema.safeParse(body)
  if (json && body !== undefined && (ok || report.success)) {
    context.out(JSON.stringify(body, null, 2))
    return ok ? EXIT_OK : EXIT_FAILED
  }
  if (!report.success) {
    if (ok) {
      parseAnswer(healthSchema, body, `GET ${PATH}`)
    }
    // 401, 404 (a store without the plugin) and the like carry no report: say what the store said.
    throw new CommandFailed(`GET ${PATH} answered ${answer.status}: ${answerMessage(answer.body)}`)
  }
  context.out(formatHealth(report.data, answer.status))
  return ok ? EXIT_OK : EXIT_FAILED
}
