import { z } from "zod"
import { CommandFailed } from "./context"

/** A recorded delivery as `GET /admin/payment-webhooks` returns it (the fields the tool shows). */
export const webhookRowSchema = z.looseObject({
  id: z.string(),
  provider_id: z.string(),
  event_id: z.string(),
  event_type: z.string().nullable(),
  session_id: z.string().nullable(),
  status: z.string(),
  attempts: z.number(),
  last_error: z.string().nullable(),
  received_at: z.string(),
})

/** One recorded delivery. */
export type WebhookRow = z.infer<typeof webhookRowSchema>

/** Checks an answer has the expected shape; a store without the plugin's routes answers something else. */
export function parseAnswer<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body)
  if (!result.success) {
    const path = result.error.issues[0]?.path.join(".") || "(body)"
    throw new CommandFailed(`${what}: unexpected answer (field \`${path}\`); is medusa-payment-webhooks installed in this store?`)
  }
  return result.data
}

/** `2026-11-23T12:15:56Z`: to the second, in UTC. */
export function shortTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19)}Z`
}
