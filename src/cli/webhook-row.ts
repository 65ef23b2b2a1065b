import { z } from "zod"
import type { PaymentWebhookRow, PaymentWebhookStatus } from "../types/admin-api"
import { CommandFailed } from "./context"

/**
 * Compiles only when every answer `Answer` of the admin contract passes `Schema`: a field the tool
 * reads that the contract renames, drops or retypes breaks the build here rather than a store's run.
 */
export type AcceptsContract<Schema extends z.ZodType, Answer extends z.input<Schema>> = Answer

/** The fields of a recorded delivery the tool shows. */
type ShownFields = "id" | "provider_id" | "event_id" | "event_type" | "session_id" | "status" | "attempts" | "last_error" | "received_at"

const STATUSES = ["received", "processed", "ignored", "failed"] as const satisfies readonly PaymentWebhookStatus[]

/** A recorded delivery as `GET /admin/payment-webhooks` returns it (the fields the tool shows; the rest is let through). */
export const webhookRowSchema = z.looseObject({
  id: z.string(),
  provider_id: z.string(),
  event_id: z.string(),
  event_type: z.string().nullable(),
  session_id: z.string().nullable(),
  status: z.enum(STATUSES),
  attempts: z.number(),
  last_error: z.string().nullable(),
  received_at: z.string(),
}) satisfies z.ZodType<Pick<PaymentWebhookRow, ShownFields>>

// Both ways: what it parses is the contract's row (`satisfies` above), and every row the contract allows
// parses (a status the contract gains must be added to `STATUSES`).
type _RowAccepted = AcceptsContract<typeof webhookRowSchema, PaymentWebhookRow>

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
