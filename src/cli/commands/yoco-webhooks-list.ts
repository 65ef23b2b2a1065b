import { HELP_OPTION, positionals, parseCommandLine } from "../args"
import { EXIT_OK, type CliContext, type Command } from "../context"
import { formatTable } from "../table"
import { YOCO_ENV_HELP, yocoClientFromEnv } from "./yoco-client"

const HELP = `Usage: medusa-payment-webhooks yoco webhooks list

Lists the webhook endpoints registered with Yoco for the key's account (GET /webhooks). Yoco
never shows their signing secrets again.

Options:
  -h, --help           Show this help

${YOCO_ENV_HELP}`

const OPTIONS = { ...HELP_OPTION } as const

async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, HELP, context)
  if (!parsed) {
    return EXIT_OK
  }
  positionals(parsed.positionals, [])
  const { client } = yocoClientFromEnv(context)
  const webhooks = await client.listWebhooks()
  if (!webhooks.length) {
    context.out("No Yoco webhooks registered.")
    return EXIT_OK
  }
  context.out(
    formatTable(
      ["ID", "NAME", "MODE", "URL"],
      webhooks.map((webhook) => [webhook.id, webhook.name, webhook.mode, webhook.url]),
    ),
  )
  return EXIT_OK
}

/** `yoco webhooks list`. */
export const yocoWebhooksListCommand: Command = {
  path: ["yoco", "webhooks", "list"],
  synopsis: "",
  summary: "List the webhook endpoints registered with Yoco",
  help: HELP,
  run,
}
