import type { Command } from "../context"
import { replayCommand } from "./replay"
import { statusCommand } from "./status"
import { triggerCommand } from "./trigger"
import { yocoWebhooksDeleteCommand } from "./yoco-webhooks-delete"
import { yocoWebhooksListCommand } from "./yoco-webhooks-list"
import { yocoWebhooksRegisterCommand } from "./yoco-webhooks-register"

/** Every command of the tool, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  triggerCommand,
  statusCommand,
  replayCommand,
  yocoWebhooksRegisterCommand,
  yocoWebhooksListCommand,
  yocoWebhooksDeleteCommand,
]
