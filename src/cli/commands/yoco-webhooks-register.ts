import { HELP_OPTION, httpUrl, positionals, required, parseCommandLine } from "../args"
import { EXIT_OK, type CliContext, type Command } from "../context"
import { YOCO_ENV_HELP, yocoClientFromEnv } from "./yoco-client"

const HELP = `Usage: medusa-payment-webhooks yoco webhooks register --url <webhook url> [--name <name>]

Registers the store's Yoco webhook endpoint with Yoco (POST /webhooks). Yoco shows the endpoint's
signing secret only in this answer: it is printed once, as the line to put in the store's .env.
Yoco sends every event of the account (live and test) to every registered endpoint.

Options:
  --url <url>          The store's public webhook URL, e.g. https://shop.example.com/hooks/payment/yoco_yoco
  --name <name>        A name to tell endpoints apart (default: medusa)
  -h, --help           Show this help

${YOCO_ENV_HELP}`

const OPTIONS = { ...HELP_OPTION, url: { type: "string" }, name: { type: "string" } } as const

async function run(args: string[], context: CliContext): Promise<number> {
  const parsed = parseCommandLine(args, OPTIONS, HELP, context)
  if (!parsed) {
    return EXIT_OK
  }
  positionals(parsed.positionals, [])
  const url = required(parsed.values.url, "url")
  httpUrl(url, "url")
  const { client, mode } = yocoClientFromEnv(context)
  const webhook = await client.registerWebhook({ name: parsed.values.name || "medusa", url })
  context.out(`Registered Yoco webhook ${webhook.id} "${webhook.name}" (${webhook.mode ?? mode} mode) for ${webhook.url}`)
  context.out("Yoco shows the signing secret only now. Put this line in the store's .env and restart it:")
  // The one place this tool prints a secret: Yoco never shows it again.
  context.out(`YOCO_WEBHOOK_SECRET=${webhook.secret}`)
  return EXIT_OK
}

/** `yoco webhooks register`: registers an endpoint and prints its secret once. */
export const yocoWebhooksRegisterCommand: Command = {
  path: ["yoco", "webhooks", "register"],
  synopsis: "--url <url>",
  summary: "Register a webhook endpoint with Yoco; print its secret once",
  help: HELP,
  run,
}
