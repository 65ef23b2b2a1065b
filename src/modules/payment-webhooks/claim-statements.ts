import { randomUUID } from "node:crypto"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { appendHistory, historyEntry } from "./history"
import { storableText } from "./storable-text"
import type { ClaimedDelivery, DeliveryVerdict, InboxRow, InboxStatus } from "./types"
import { INBOX_TABLE } from "./tables"

/**
 * The statements of a delivery's life after its insert: claimed under a token and a lease, settled or
 * given back only by the claim's holder, re-queued by a replay. Each is one SQL statement, so each
 * holds across processes, and each appends its entry to the row's history in the same statement.
 */

/**
 * Columns the processor reads of a claimed row. `needs_attention` and `failed_before` are what the row
 * was before this attempt (a replay keeps both: it resets the status, not the flag nor the history);
 * until it settles, only the claim's holder writes the row, so they are still true at the settle, and
 * the alerts use them to speak only when a row turns failed or needs a person for the first time.
 * `failed_before` reads the kept history (its last entries): a row retried for days may have let its
 * first failure slip out, and then alerts once more, which is the safe side.
 */
const ROW_COLUMNS = `id, provider_id, event_id, event_type, session_id, action, status, source, attempts, last_error, received_at, raw_body,
  amount::float8 AS amount, verified, verify_headers,
  needs_attention, EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(history, '[]'::jsonb)) AS entry WHERE entry->>'kind' = 'failed') AS failed_before,
  EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(history, '[]'::jsonb)) AS entry WHERE entry->>'kind' = 'processed') AS processed_before`

/** Claims row `id` for `leaseSeconds` under a new token (see the service's `claim`); null when it is not to be had. */
export async function claimRow(
  manager: SqlEntityManager,
  id: string,
  options: { evenIfBackingOff?: boolean; leaseSeconds: number },
): Promise<ClaimedDelivery | null> {
  const token = randomUUID()
  const rows = await manager.execute<InboxRow[]>(
    `UPDATE ${INBOX_TABLE}
     SET claim_token = ?, lease_until = now() + make_interval(secs => ?), attempts = attempts + 1, updated_at = now(),
         history = ${appendHistory("attempts + 1")}
     WHERE id = ? AND deleted_at IS NULL AND status = 'received'
       AND (lease_until IS NULL OR lease_until <= now())
       ${options.evenIfBackingOff ? "" : "AND (next_attempt_at IS NULL OR next_attempt_at <= now())"}
     RETURNING ${ROW_COLUMNS}`,
    [token, options.leaseSeconds, historyEntry("attempt"), id],
  )
  return rows[0] ? { ...rows[0], token } : null
}

/** Extends a live claim by `leaseSeconds`; false when the claim no longer holds. */
export async function renewClaimRow(
  manager: SqlEntityManager,
  claim: Pick<ClaimedDelivery, "id" | "token">,
  leaseSeconds: number,
): Promise<boolean> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${INBOX_TABLE} SET lease_until = now() + make_interval(secs => ?), updated_at = now()
     WHERE id = ? AND claim_token = ? AND status = 'received' RETURNING id`,
    [leaseSeconds, claim.id, claim.token],
  )
  return rows.length > 0
}

/** Ids of rows due for processing, oldest first (see the service's `dueDeliveryIds`). */
export async function dueRowIds(manager: SqlEntityManager, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `SELECT id FROM ${INBOX_TABLE}
     WHERE deleted_at IS NULL AND status = 'received'
       AND received_at <= now() - make_interval(secs => ?)
       AND (next_attempt_at IS NULL OR next_attempt_at <= now())
       AND (lease_until IS NULL OR lease_until <= now())
     ORDER BY received_at
     LIMIT ?`,
    [olderThanSeconds, limit],
  )
  return rows.map((row) => row.id)
}

/** Settles a claimed row with its verdict and the facts processing learnt, only while the claim holds. */
export async function settleRow(
  manager: SqlEntityManager,
  claim: Pick<ClaimedDelivery, "id" | "token">,
  verdict: DeliveryVerdict,
): Promise<boolean> {
  const facts = verdict.facts ?? {}
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${INBOX_TABLE}
     SET status = ?, last_error = ?, outcome = ?::jsonb, processed_at = now(), next_attempt_at = NULL,
         claim_token = NULL, lease_until = NULL, updated_at = now(),
         session_id = COALESCE(?, session_id), action = COALESCE(?, action), amount = COALESCE(?::numeric, amount),
         raw_amount = COALESCE(?::jsonb, raw_amount), currency_code = COALESCE(?, currency_code), details = COALESCE(?::jsonb, details),
         psp_reference = COALESCE(?, psp_reference), needs_attention = ?, history = ${appendHistory("attempts")},
         verify_headers = NULL, raw_body = CASE WHEN ? THEN NULL ELSE raw_body END, verified = COALESCE(?::boolean, verified)
     WHERE id = ? AND claim_token = ?
     RETURNING id`,
    [
      verdict.status,
      verdict.reason === null ? null : storableText(verdict.reason.slice(0, 2000)),
      jsonOrNull(verdict.outcome),
      storableText(facts.session_id ?? null),
      storableText(facts.action ?? null),
      facts.amount ?? null,
      facts.amount === undefined || facts.amount === null ? null : JSON.stringify({ value: String(facts.amount), precision: 20 }),
      storableText(facts.currency_code ?? null),
      jsonOrNull(facts.details),
      storableText(facts.psp_reference ?? null),
      verdict.needs_attention === true,
      historyEntry(verdict.status, { error: verdict.reason, outcome: verdict.outcome }),
      verdict.forged === true,
      facts.verified ?? null,
      claim.id,
      claim.token,
    ],
  )
  return rows.length > 0
}

/** Gives a claimed row back, due again after `backoffSeconds`, only while the claim holds. */
export async function giveBackRow(
  manager: SqlEntityManager,
  claim: Pick<ClaimedDelivery, "id" | "token">,
  error: string,
  backoffSeconds: number,
  pspReference: string | null,
): Promise<boolean> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${INBOX_TABLE}
     SET last_error = ?, next_attempt_at = now() + make_interval(secs => ?), claim_token = NULL, lease_until = NULL, updated_at = now(),
         psp_reference = COALESCE(?, psp_reference), history = ${appendHistory("attempts")}
     WHERE id = ? AND claim_token = ?
     RETURNING id`,
    [
      storableText(error.slice(0, 2000)),
      backoffSeconds,
      storableText(pspReference),
      historyEntry("retry_scheduled", { error }),
      claim.id,
      claim.token,
    ],
  )
  return rows.length > 0
}

/** How a requeue ended (see the service's `requeue`). */
export type RequeueResult =
  /** Back in the queue, due at once. */
  | "requeued"
  /** No such row (or a retention delete took it). */
  | "missing"
  /** Its raw body was dropped by retention: it cannot be processed again. */
  | "no_body"
  /** A processor holds it under a live lease: left alone, its attempts and backoff untouched. */
  | "claimed"
  /** It no longer has the status it was picked for (another processor or replay settled it meanwhile). */
  | "changed"

/**
 * Moves row `id` back to `received`, due at once, if it can be processed again: never while a live
 * lease holds it (that would reset the attempts and backoff of a row another process is working on),
 * and, with `expectedStatus`, only if it still has that status. A row settled (`failed`, `ignored`…)
 * starts a fresh count of attempts; a row still `received`, waiting out its backoff, keeps its count,
 * so a replay never hands a row more attempts than `maxAttempts` while it is still being retried.
 * The UPDATE itself re-checks that the raw body is there (retention may drop it between the two reads).
 * Whether it moved is read from the
 * UPDATE's own RETURNING: the row found a moment before may have been settled, claimed or deleted since,
 * and the UPDATE re-checks its conditions on the row as it stands when it takes it.
 */
export async function requeueRow(
  manager: SqlEntityManager,
  id: string,
  options: { expectedStatus?: InboxStatus } = {},
): Promise<RequeueResult> {
  const expected = options.expectedStatus ? "AND e.status = ?" : ""
  const rows = await manager.execute<Array<{ status: InboxStatus; replayable: boolean; held: boolean; requeued: boolean }>>(
    `WITH found AS (
       SELECT id, status, (raw_body IS NOT NULL OR source = 'reconciliation') AS replayable,
              (lease_until IS NOT NULL AND lease_until > now()) AS held
       FROM ${INBOX_TABLE} WHERE id = ? AND deleted_at IS NULL
     ), requeued AS (
       UPDATE ${INBOX_TABLE} e SET status = 'received', next_attempt_at = NULL, updated_at = now(),
         attempts = CASE WHEN e.status = 'received' THEN e.attempts ELSE 0 END,
         history = ${appendHistory(null, "e.history")}
       FROM found
       WHERE e.id = found.id AND e.deleted_at IS NULL
         AND (e.raw_body IS NOT NULL OR e.source = 'reconciliation')
         AND (e.lease_until IS NULL OR e.lease_until <= now()) ${expected}
       RETURNING e.id
     )
     SELECT status, replayable, held, EXISTS (SELECT 1 FROM requeued) AS requeued FROM found`,
    [id, historyEntry("replay_requested"), ...(options.expectedStatus ? [options.expectedStatus] : [])],
  )
  const found = rows[0]
  if (!found) {
    return "missing"
  }
  if (found.requeued) {
    return "requeued"
  }
  if (!found.replayable) {
    return "no_body"
  }
  if (options.expectedStatus && found.status !== options.expectedStatus) {
    return "changed"
  }
  // Found free a moment ago but not taken: claimed, settled or deleted between the two reads; a claim is by far the likeliest.
  return found.held || !options.expectedStatus ? "claimed" : "changed"
}

/** JSON PostgreSQL can store: every string in it made storable (a NUL escape is refused by jsonb as well). */
function jsonOrNull(value: Record<string, unknown> | null | undefined): string | null {
  return value ? JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? storableText(item) : item)) : null
}

/** How a person's settling of a row ended (see the service's `settleByPerson`). */
export type SettleByPersonResult = "settled" | "missing" | "claimed" | "nothing_to_settle"

/**
 * A person says row `id`, `failed` or flagged for attention, is dealt with: it loses its flag, a
 * `failed` row becomes `ignored` with the person's note as its reason, and it ages from now (its raw
 * body and the row then go by retention, like any settled row's). Never a row a processor holds under a
 * live lease, nor one still `received` (the processor has not had its say), nor one that needs nothing.
 */
export async function settleByPersonRow(
  manager: SqlEntityManager,
  id: string,
  settled: { note: string; actor: string | null },
): Promise<SettleByPersonResult> {
  const reason = `settled by a person: ${settled.note}`.slice(0, 500)
  const rows = await manager.execute<Array<{ found: boolean; held: boolean; settled: boolean }>>(
    `WITH found AS (
       SELECT id, (lease_until IS NOT NULL AND lease_until > now()) AS held FROM ${INBOX_TABLE} WHERE id = ? AND deleted_at IS NULL
     ), settled AS (
       UPDATE ${INBOX_TABLE} e
       SET needs_attention = false, updated_at = now(), processed_at = now(),
           status = CASE WHEN e.status = 'failed' THEN 'ignored' ELSE e.status END,
           last_error = CASE WHEN e.status = 'failed' THEN ? ELSE e.last_error END,
           history = ${appendHistory(null, "e.history")}
       FROM found
       WHERE e.id = found.id AND e.deleted_at IS NULL AND e.status <> 'received' AND (e.needs_attention OR e.status = 'failed')
         AND (e.lease_until IS NULL OR e.lease_until <= now())
       RETURNING e.id
     )
     SELECT true AS found, held, EXISTS (SELECT 1 FROM settled) AS settled FROM found`,
    [id, reason, historyEntry("settled_by_person", { note: settled.note, actor: settled.actor ?? undefined })],
  )
  const row = rows[0]
  if (!row) {
    return "missing"
  }
  return row.settled ? "settled" : row.held ? "claimed" : "nothing_to_settle"
}
