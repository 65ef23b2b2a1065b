import { hostname } from "node:os"
import type { PaymentWebhookProcess, PaymentWebhookTimelineEntry } from "../../types/admin-api"
import { storableText } from "./storable-text"

/** How many entries a row's `history` keeps: the newest, so a row retried for days stays small. */
export const HISTORY_LIMIT = 30

/**
 * What happened to a row, as its `history` records it (`at` and `attempt` are added by the statement):
 * every kind of the admin's timeline but the first receipt, which is the row's own `received_at`.
 */
export type HistoryKind = Exclude<PaymentWebhookTimelineEntry["kind"], "received">

/** The process that wrote an entry: its Medusa worker mode, pid and host (where the processor ran). */
export type HistoryProcess = PaymentWebhookProcess

/**
 * One entry as stored: the admin's timeline entry, as the admin API shows it, of a stored kind.
 * `at` is PostgreSQL's `now()`, so entries order with `received_at` and `processed_at`; `count` is the
 * deliveries one `delivered_again` entry stands for (several may arrive in one statement).
 */
export type HistoryEntry = Omit<PaymentWebhookTimelineEntry, "kind"> & { kind: HistoryKind }

/** This process, as entries name it. Read each time: a test or a launcher may set the worker mode after loading. */
export function currentProcess(): HistoryProcess {
  return { kind: process.env.MEDUSA_WORKER_MODE || "shared", pid: process.pid, host: hostname() }
}

/** The JSON parameter of {@link appendHistory}: an entry of this process, without `at` and `attempt`. */
export function historyEntry(
  kind: HistoryKind,
  extra: { error?: string | null; outcome?: Record<string, unknown> | null; note?: string; actor?: string } = {},
): string {
  return JSON.stringify(
    {
      kind,
      ...(extra.error ? { error: extra.error.slice(0, 500) } : {}),
      ...(extra.outcome ? { outcome: extra.outcome } : {}),
      ...(extra.note ? { note: extra.note.slice(0, 500) } : {}),
      ...(extra.actor ? { actor: extra.actor.slice(0, 200) } : {}),
      process: currentProcess(),
    },
    (_key, item: unknown) => (typeof item === "string" ? storableText(item) : item),
  )
}

/**
 * The SQL of a `SET history = …` that appends one entry (the statement's single `?`, a JSON object
 * from {@link historyEntry}) stamped with `now()` and, when `attempt` is an SQL expression, the attempt
 * number, keeping the last {@link HISTORY_LIMIT}. Part of the statement that changes the row: no extra round trip.
 */
export function appendHistory(attempt: string | null, column = "history"): string {
  const stamp = attempt === null ? `jsonb_build_object('at', now())` : `jsonb_build_object('at', now(), 'attempt', ${attempt})`
  return `jsonb_path_query_array(COALESCE(${column}, '[]'::jsonb) || jsonb_build_array(?::jsonb || ${stamp}), '$[last-${HISTORY_LIMIT - 1} to last]')`
}
