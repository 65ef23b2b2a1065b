import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { newInboxEventId } from "./event-id"
import { storableText } from "./storable-text"
import { RECONCILIATION_CHECK_TABLE } from "./tables"

/** The longest wait between two looks at one session, in seconds. */
const ONE_HOUR = 3600

/** Of these sessions, those whose last reconciliation check (if any) has come due. */
export async function sessionsDueForCheck(manager: SqlEntityManager, providerId: string, sessionIds: string[]): Promise<string[]> {
  if (!sessionIds.length) {
    return []
  }
  const rows = await manager.execute<Array<{ session_id: string }>>(
    `SELECT session_id FROM ${RECONCILIATION_CHECK_TABLE}
     WHERE deleted_at IS NULL AND provider_id = ? AND next_check_at > now() AND session_id IN (${sessionIds.map(() => "?").join(", ")})`,
    [providerId, ...sessionIds],
  )
  const notYet = new Set(rows.map((row) => row.session_id))
  return sessionIds.filter((id) => !notYet.has(id))
}

/** Notes what the PSP said of a session (unpaid, or the lookup's error); the next look waits twice as long, at most an hour. */
export async function noteSessionChecked(
  manager: SqlEntityManager,
  check: { providerId: string; sessionId: string; result: string; backoffSeconds: number },
): Promise<void> {
  await manager.execute(
    `INSERT INTO ${RECONCILIATION_CHECK_TABLE} (id, provider_id, session_id, checks, last_result, last_checked_at, next_check_at, created_at, updated_at)
     VALUES (?, ?, ?, 1, ?, now(), now() + make_interval(secs => ?), now(), now())
     ON CONFLICT (provider_id, session_id) WHERE deleted_at IS NULL DO UPDATE
     SET checks = ${RECONCILIATION_CHECK_TABLE}.checks + 1, last_result = EXCLUDED.last_result, last_checked_at = now(), updated_at = now(),
         next_check_at = now() + make_interval(secs => LEAST(? * power(2, ${RECONCILIATION_CHECK_TABLE}.checks), ${ONE_HOUR}))`,
    [
      newInboxEventId().replace("pwhevt_", "pwhchk_"),
      check.providerId,
      check.sessionId,
      storableText(check.result.slice(0, 500)),
      check.backoffSeconds,
      check.backoffSeconds,
    ],
  )
}
