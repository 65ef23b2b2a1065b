import { randomUUID } from "node:crypto"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { appendHistory, historyEntry } from "./history"
import { storableText } from "./storable-text"
import type { ClaimedDelivery, DeliveryVerdict, InboxRow } from "./types"

/**
 * The statements of a delivery's life after its insert: claimed under a token and a lease, settled or
 * given back only by the claim's holder, re-queued by a replay. Each is one SQL statement, so each
 * holds across processes, and each appends its entry to the row's history in the same statement.
 */

const TABLE = "payment_webhook_event"

/** Columns the processor reads of a claimed row. */
const ROW_COLUMNS = `id, provider_id, event_id, event_type, session_id, action, status, source, attempts, last_error, received_at, raw_body`

/** Claims row `id` for `leaseSeconds` under a new token (see the service's `claim`); null when it is not to be had. */
export async function claimRow(
  manager: SqlEntityManager,
  id: string,
  options: { evenIfBackingOff?: boolean; leaseSeconds: number }
): Promise<ClaimedDelivery | null> {
  const token = randomUUID()
  const rows = await manager.execute<InboxRow[]>(
    `UPDATE ${TABLE}
     SET claim_token = ?, lease_until = now() + make_interval(secs => ?), attempts = attempts + 1, updated_at = now(),
         history = ${appendHistory("attempts + 1")}
     WHERE id = ? AND deleted_at IS NULL AND status = 'received'
       AND (lease_until IS NULL OR lease_until <= now())
       ${options.evenIfBackingOff ? "" : "AND (next_attempt_at IS NULL OR next_attempt_at <= now())"}
     RETURNING ${ROW_COLUMNS}`,
    [token, options.leaseSeconds, historyEntry("attempt"), id]
  )
  return rows[0] ? { ...rows[0], token } : null
}

/** Extends a live claim by `leaseSeconds`; false when the claim no longer holds. */
export async function renewClaimRow(manager: SqlEntityManager, claim: Pick<ClaimedDelivery, "id" | "token">, leaseSeconds: number): Promise<boolean> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${TABLE} SET lease_until = now() + make_interval(secs => ?), updated_at = now()
     WHERE id = ? AND claim_token = ? AND status = 'received' RETURNING id`,
    [leaseSeconds, claim.id, claim.token]
  )
  return rows.length > 0
}

/** Ids of rows due for processing, oldest first (see the service's `dueDeliveryIds`). */
export async function dueRowIds(manager: SqlEntityManager, olderThanSeconds: number, limit: number): Promise<string[]> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `SELECT id FROM ${TABLE}
     WHERE deleted_at IS NULL AND status = 'received'
       AND received_at <= now() - make_interval(secs => ?)
       AND (next_attempt_at IS NULL OR next_attempt_at <= now())
       AND (lease_until IS NULL OR lease_until <= now())
     ORDER BY received_at
     LIMIT ?`,
    [olderThanSeconds, limit]
  )
  return rows.map((row) => row.id)
}

/** Settles a claimed row with its verdict and the facts processing learnt, only while the claim holds. */
export async function settleRow(manager: SqlEntityManager, claim: Pick<ClaimedDelivery, "id" | "token">, verdict: DeliveryVerdict): Promise<boolean> {
  const facts = verdict.facts ?? {}
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${TABLE}
     SET status = ?, last_error = ?, outcome = ?::jsonb, processed_at = now(), next_attempt_at = NULL,
         claim_token = NULL, lease_until = NULL, updated_at = now(),
         session_id = COALESCE(?, session_id), action = COALESCE(?, action), amount = COALESCE(?::numeric, amount),
         raw_amount = COALESCE(?::jsonb, raw_amount), currency_code = COALESCE(?, currency_code), details = COALESCE(?::jsonb, details),
         psp_reference = COALESCE(?, psp_reference), needs_attention = ?, history = ${appendHistory("attempts")}
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
      claim.id,
      claim.token,
    ]
  )
  return rows.length > 0
}

/** Gives a claimed row back, due again after `backoffSeconds`, only while the claim holds. */
export async function giveBackRow(
  manager: SqlEntityManager,
  claim: Pick<ClaimedDelivery, "id" | "token">,
  error: string,
  backoffSeconds: number,
  pspReference: string | null
): Promise<boolean> {
  const rows = await manager.execute<Array<{ id: string }>>(
    `UPDATE ${TABLE}
     SET last_error = ?, next_attempt_at = now() + make_interval(secs => ?), claim_token = NULL, lease_until = NULL, updated_at = now(),
         psp_reference = COALESCE(?, psp_reference), history = ${appendHistory("attempts")}
     WHERE id = ? AND claim_token = ?
     RETURNING id`,
    [storableText(error.slice(0, 2000)), backoffSeconds, storableText(pspReference), historyEntry("retry_scheduled", { error }), claim.id, claim.token]
  )
  return rows.length > 0
}

/** Moves row `id` back to `received`, due at once, if it can be processed again (see the service's `requeue`). */
export async function requeueRow(manager: SqlEntityManager, id: string): Promise<"requeued" | "missing" | "no_body"> {
  const rows = await manager.execute<Array<{ id: string; replayable: boolean }>>(
    `WITH found AS (
       SELECT id, (raw_body IS NOT NULL OR source = 'reconciliation') AS replayable FROM ${TABLE} WHERE id = ? AND deleted_at IS NULL
     ), requeued AS (
       UPDATE ${TABLE} e SET status = 'received', next_attempt_at = NULL, attempts = 0, updated_at = now(),
         history = ${appendHistory(null, "e.history")}
       FROM found WHERE e.id = found.id AND found.replayable RETURNING e.id
     )
     SELECT id, replayable FROM found`,
    [id, historyEntry("replay_requested")]
  )
  return !rows.length ? "missing" : rows[0].replayable ? "requeued" : "no_body"
}

/** JSON PostgreSQL can store: every string in it made storable (a NUL escape is refused by jsonb as well). */
function jsonOrNull(value: Record<string, unknown> | null | undefined): string | null {
  return value ? JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? storableText(item) : item)) : null
}
