import { z } from "zod"
import type { PaymentWebhookReplay } from "../../types/admin-api"
import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, adminRequest, adminTarget } from "../admin-client"
import { HELP_OPTION, positionals, parseCommandLine } from "../args"
import { EXIT_FAILED, EXIT_OK, type CliContext, type Command } from "../context"
import { parseAnswer, webhookRowSchema, type AcceptsContract } from "../webhook-row"

const HELP = `Usage: medusa-payment-webhooks replay <id> [--url <store url>] [--token <secret api key>]

Replays one recorded delivery (pwhevt_…, as \`status --json\` shows) through the store's one
processor, the same as its job: what the store already holds is checked first, so a replay never
authorizes, captures, refunds or places an order twice. Prints where it stands after.
Exits 1 when it is still unsettled after the replay (failed, or waiting for another attempt).

Options:
${ADMIN_OPTIONS_HELP}
  -h, --help           Show this help`

const OPTIONS = { ...HELP_OPTION, ...ADMIN_OPTIONS } as const

const replaySchema = z.looseObject({ payment_webhook: webhookRowSchema })

// Every answer the admin contract allows parses here (see `AcceptsContract`).
type _ReplayAccepted = AcceptsContract<typeof replaySchema, PaymentWebhookReplay>

async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, HELP, context)
  if (!parsed) {
    return EXIT_OK
  }
  const [id] = positionals(parsed.positionals, ["id"])
  const target = adminTarget(parsed.values, context)
  const body = await adminRequest(target, "POST", `/admin/payment-webhooks/${encodeURIComponent(id)}/replay`)
  const { payment_webhook: row } = parseAnswer(replaySchema, body, "POST /admin/payment-webhooks/:id/replay")
  const error = row.last_error ? `: ${row.last_error}` : ""
  context.out(`${row.id} (${row.provider_id} ${row.event_type ?? row.event_id}) is ${row.status} after ${row.attempts} attempt(s)${error}`)
  return row.status === "processed" || row.status === "ignored" ? EXIT_OK : EXIT_FAILED
}

/** `replay <id>`: replays one recorded delivery through the admin API. */
export const replayCommand: Command = {
  path: ["replay"],
  synopsis: "<id>",
  summary: "Replay one recorded delivery, e.g. a failed one",
  help: HELP,
  run,
}
