import type { RawRunner } from "./raw-runner"
import type { SessionForGuard } from "./types"

type SessionRow = { id: string; amount: string; currency_code: string }

/**
 * The amount and currency of each named payment session, for the amount check, in one statement
 * for the whole group (cancelled in PostgreSQL past `timeoutMs`). Answers one result per id, in
 * order; a session that is not there (or was deleted) is `{ found: false }`.
 */
export async function readSessions(knex: RawRunner, sessionIds: string[], timeoutMs: number): Promise<SessionForGuard[]> {
  const result = (await knex
    .raw("SELECT id, amount::text AS amount, currency_code FROM payment_session WHERE id = ANY(?::text[]) AND deleted_at IS NULL", [
      [...new Set(sessionIds)],
    ])
    .timeout(timeoutMs, { cancel: true })) as { rows: SessionRow[] }
  const byId = new Map(result.rows.map((row) => [row.id, row]))
  return sessionIds.map((id): SessionForGuard => {
    const row = byId.get(id)
    return row ? { found: true, amount: row.amount, currency_code: row.currency_code } : { found: false }
  })
}
