import { HELP_OPTION, positionals, parseCommandLine } from "../args"
import { EXIT_OK, type CliContext, type Command } from "../context"
import { YOCO_ENV_HELP, yocoClientFromEnv } from "./yoco-client"

const HELP = `Usage: medusa-payment-webhooks yoco webhooks delete <id>

Deletes a webhook endpoint registered with Yoco (DELETE /webhooks/<id>); Yoco stops sending it events.

Options:
  -h, --help           Show this help

${YOCO_ENV_HELP}`

const OPTIONS = { ...HELP_OPTION } as const

async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, HELP, context)
  if (!parsed) {
    return EXIT_OK
  }
  const [id] = positionals(parsed.positionals, ["id"])
  const { client } = yocoClientFromEnv(context)
  await client.deleteWebhook(id)
  context.out(`Deleted Yoco webhook ${id}`)
  return EXIT_OK
}

/** `yoco webhooks delete <id>`. */
export const yocoWebhooksDeleteCommand: Command = {
  path: ["yoco", "webhooks", "delete"],
  synopsis: "<id>",
  summary: "Delete a webhook endpoint registered with Yoco",
  help: HELP,
  run,
}
