import { z } from "zod"
import type { PaymentWebhookList, PaymentWebhookListQuery } from "../../types/admin-api"
import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, adminRequest, adminTarget } from "../admin-client"
import { HELP_OPTION, integer, positionals, parseCommandLine } from "../args"
import { EXIT_OK, UsageError, type CliContext, type Command } from "../context"
import { formatTable } from "../table"
import { parseAnswer, shortTime, webhookRowSchema, type AcceptsContract } from "../webhook-row"
import { runHealth } from "./status-health"

const HELP = `Usage: medusa-payment-webhooks status [--url <store url>] [--token <secret api key>] [filters | --health]

Shows the latest payment webhook deliveries the store recorded, newest first: when each came,
from which provider, the event, the payment session, where it stands (received, processed,
ignored, failed), how many processing attempts it took, and the last error.

Options:
${ADMIN_OPTIONS_HELP}
  --provider <key>     Only this provider: stripe, yoco, or a route key such as stripe_stripe
  --status <status>    Only received, processed, ignored or failed deliveries
  --session <id>       Only this payment session (payses_…)
  --order <id>         Only the payment sessions of this order (order_…)
  --limit <n>          How many to show, 1 to 100 (default 20)
  --offset <n>         Skip this many of the newest first (default 0)
  --health             Show the store's health instead: when the job last ran and where, the
                       backlog, the day's failures, the providers' secrets and the Redis modules.
                       Exit code 0 when the store answers 2xx, 1 otherwise (503: the job has not
                       run for three periods, or the inbox cannot be read)
  --json               Print the API's JSON answer instead of a table
  -h, --help           Show this help

The key is a secret API key (Settings → Secret API Keys in the Medusa admin); it is sent as
HTTP Basic to GET /admin/payment-webhooks (--health: GET /admin/payment-webhooks/health).`

const OPTIONS = {
  ...HELP_OPTION,
  ...ADMIN_OPTIONS,
  provider: { type: "string" },
  status: { type: "string" },
  session: { type: "string" },
  order: { type: "string" },
  limit: { type: "string" },
  offset: { type: "string" },
  health: { type: "boolean" },
  json: { type: "boolean" },
} as const

const listSchema = z.looseObject({
  payment_webhooks: z.array(webhookRowSchema),
  count: z.number(),
  limit: z.number(),
  offset: z.number(),
})

// Every answer the admin contract allows parses here (see `AcceptsContract`).
type _ListAccepted = AcceptsContract<typeof listSchema, PaymentWebhookList>

/** The column headings of the table. */
export const STATUS_COLUMNS = ["TIME", "PROVIDER", "EVENT", "SESSION", "STATUS", "ATTEMPTS", "ERROR"] as const

async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, HELP, context)
  if (!parsed) {
    return EXIT_OK
  }
  const { values, positionals: extra } = parsed
  positionals(extra, [])
  const target = adminTarget(values, context)
  if (values.health) {
    const filter = (["provider", "status", "session", "order", "limit", "offset"] as const).find((name) => values[name] !== undefined)
    if (filter) {
      throw new UsageError(`--health takes no filter (--${filter})`)
    }
    return runHealth(target, values.json === true, context)
  }
  const body = await adminRequest(target, "GET", "/admin/payment-webhooks", {
    provider: values.provider,
    status: values.status,
    session_id: values.session,
    order_id: values.order,
    limit: integer(values.limit, "limit", 1, 100),
    offset: integer(values.offset, "offset", 0),
  } satisfies { [Name in keyof PaymentWebhookListQuery]?: string | number })
  if (values.json) {
    context.out(JSON.stringify(body, null, 2))
    return EXIT_OK
  }
  const page = parseAnswer(listSchema, body, "GET /admin/payment-webhooks")
  if (!page.payment_webhooks.length) {
    context.out(page.count ? `No deliveries past offset ${page.offset} (${page.count} in all).` : "No payment webhook deliveries recorded.")
    return EXIT_OK
  }
  const rows = page.payment_webhooks.map((row) => [
    shortTime(row.received_at),
    row.provider_id,
    row.event_type ?? row.event_id,
    row.session_id,
    row.status,
    row.attempts,
    row.last_error,
  ])
  context.out(formatTable(STATUS_COLUMNS, rows))
  const last = page.offset + page.payment_webhooks.length
  const more = last < page.count ? ` (next page: --offset ${last})` : ""
  context.out(`\n${page.offset + 1}-${last} of ${page.count}, newest first${more}`)
  return EXIT_OK
}

/** `status`: the latest deliveries recorded in the store's webhook inbox, as a table. */
export const statusCommand: Command = {
  path: ["status"],
  synopsis: "",
  summary: "Show the latest webhook deliveries a store recorded",
  help: HELP,
  run,
}
