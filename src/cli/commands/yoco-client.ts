import { YocoClient } from "../../providers/yoco/client"
import { modeOfKey } from "../../providers/yoco/options"
import { UsageError, type CliContext } from "../context"

/** The environment the `yoco webhooks` commands read, for their help texts. */
export const YOCO_ENV_HELP = `Environment:
  YOCO_SECRET_KEY      The Yoco secret key (sk_test_… or sk_live_…); its mode is the webhook's mode
  YOCO_API_BASE_URL    Optional; default https://payments.yoco.com/api`

/** A Checkout API client with the key from `YOCO_SECRET_KEY` (never from the command line, where shells keep history). */
export function yocoClientFromEnv(context: CliContext): { client: YocoClient; mode: "live" | "test" } {
  const secretKey = context.env.YOCO_SECRET_KEY?.trim()
  if (!secretKey) {
    throw new UsageError("YOCO_SECRET_KEY is not set: export the Yoco secret key (sk_test_… or sk_live_…) first")
  }
  if (!/^sk_(test|live)_\S+$/.test(secretKey)) {
    throw new UsageError("YOCO_SECRET_KEY must start with sk_test_ or sk_live_")
  }
  return { client: new YocoClient({ secretKey, baseUrl: context.env.YOCO_API_BASE_URL || undefined }), mode: modeOfKey(secretKey) }
}
