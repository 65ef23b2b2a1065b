import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import { generateEntityId } from "@medusajs/framework/utils"
import type { DeliveryRecordInput, RecordOutcome } from "./types"

const TABLE = "payment_webhook_event"

/** One row of the statement: deliveries of the same event in one group become one row. */
type IncomingRow = Omit<DeliveryRecordInput, "amount" | "guard_session_id"> & {
  id: string
  amount: string | null
  raw_amount: { value: string; precision: number } | null
  deliveries: number
  /** Recorded already settled (ignored or failed at the edge): `processed_at` is set. */
  settled: boolean
  guard_session_id: string | null
}

type WrittenRow = {
  id: string
  provider_id: string
  event_id: string
  inserted: boolean
  session_found: boolean
  session_amount: string | null
  session_currency: string | null
}

/** Options of {@link insertDeliveries}. */
export type InsertDeliveriesOptions = {
  /** Cancel the statement in PostgreSQL past this. */
  timeoutMs: number
  /** Keep the raw body (`rawBodyRetention` is not `never`). */
  keepRawBody: boolean
  /** Read each `guard_session_id` from `payment_session` in the same statement. */
  readSessions: boolean
}

const keyOf = (input: { provider_id: string; event_id: string }) => `${input.provider_id}\u0000${input.event_id}`

function toRow(input: DeliveryRecordInput, deliveries: number, keepRawBody: boolean): IncomingRow {
  const amount = input.amount === null ? null : String(input.amount)
  return {
    ...input,
    id: generateEntityId(undefined, "pwhevt"),
    amount,
    raw_amount: amount === null ? null : { value: amount, precision: 20 },
    deliveries,
    settled: input.status !== "received",
    raw_body: keepRawBody ? input.raw_body : null,
    guard_session_id: input.guard_session_id ?? null,
  }
}

function statement(readSessions: boolean): string {
  const session = readSessions
    ? `s.id IS NOT NULL AS session_found, s.amount::text AS session_amount, s.currency_code AS session_currency
       FROM written w JOIN incoming i ON i.provider_id = w.provider_id AND i.event_id = w.event_id
       LEFT JOIN payment_session s ON s.id = i.guard_session_id AND s.deleted_at IS NULL`
    : `false AS session_found, NULL AS session_amount, NULL AS session_currency FROM written w`
  // One JSON parameter for the whole group: one statement, one round trip and one commit whatever its size.
  return `WITH incoming AS (
      SELECT * FROM json_to_recordset(?::json) AS t(
        id text, provider_id text, event_id text, event_type text, session_id text, action text, amount numeric,
        raw_amount jsonb, currency_code text, status text, source text, deliveries integer, last_error text,
        settled boolean, body_hash text, details jsonb, raw_body text, guard_session_id text)
    ), written AS (
      INSERT INTO ${TABLE} (id, provider_id, event_id, event_type, session_id, action, amount, raw_amount,
        currency_code, status, source, attempts, deliveries, last_error, received_at, processed_at, body_hash, details,
        raw_body, created_at, updated_at)
      SELECT id, provider_id, event_id, event_type, session_id, action, amount, raw_amount, currency_code, status, source,
        0, deliveries, last_error, now(), CASE WHEN settled THEN now() END, body_hash, details, raw_body, now(), now()
      FROM incoming
      ON CONFLICT (provider_id, event_id) WHERE deleted_at IS NULL
      DO UPDATE SET deliveries = ${TABLE}.deliveries + EXCLUDED.deliveries, updated_at = now()
      RETURNING id, provider_id, event_id, (xmax = 0) AS inserted
    )
    SELECT w.id, w.provider_id, w.event_id, w.inserted, ${session}`
}

/**
 * Records a group of deliveries in one autocommit statement: new events are inserted, events
 * already there only have `deliveries` counted up. Deliveries of the same event within the group
 * become one row (PostgreSQL refuses to touch a row twice in one statement), and rows go in key
 * order so two concurrent groups never wait on each other in a cycle. With `readSessions`, each
 * new authorize/capture event comes back with its payment session's amount and currency, read in
 * the same statement, for the edge's amount check. Answers one outcome per input, in order.
 */
export async function insertDeliveries(knex: ReturnType<SqlEntityManager["getKnex"]>, inputs: DeliveryRecordInput[], options: InsertDeliveriesOptions): Promise<RecordOutcome[]> {
  const groups = new Map<string, DeliveryRecordInput[]>()
  for (const input of inputs) {
    const key = keyOf(input)
    groups.set(key, [...(groups.get(key) ?? []), input])
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, same]) => toRow(same[0], same.length, options.keepRawBody))
  const result: { rows: WrittenRow[] } = await knex
    .raw(statement(options.readSessions), [JSON.stringify(rows)])
    .timeout(options.timeoutMs, { cancel: true })
  const written = new Map(result.rows.map((row) => [keyOf(row), row]))
  const answered = new Set<string>()
  return inputs.map((input) => {
    const key = keyOf(input)
    const row = written.get(key)
    if (!row) {
      throw new Error(`the inbox returned no row for ${input.provider_id} event ${input.event_id}`)
    }
    // Only the first delivery of an event in the group can be the one that inserted it.
    const first = !answered.has(key)
    answered.add(key)
    const duplicate = !(first && row.inserted)
    if (duplicate || !options.readSessions || !input.guard_session_id) {
      return { id: row.id, duplicate }
    }
    return {
      id: row.id,
      duplicate,
      session: row.session_found
        ? { found: true, amount: row.session_amount ?? undefined, currency_code: row.session_currency ?? undefined }
        : { found: false },
    }
  })
}
