import { createHash } from "node:crypto"
import { newInboxEventId } from "./event-id"
import { hasPostgresCode } from "./postgres-error"
import type { RawRunner } from "./raw-runner"
import type { DeliveryRecordInput, RecordOutcome } from "./types"

const TABLE = "payment_webhook_event"

/** One row of the statement: deliveries of the same event in one group become one row. */
type IncomingRow = Omit<DeliveryRecordInput, "amount" | "read_session"> & {
  id: string
  amount: string | null
  raw_amount: { value: string; precision: number } | null
  deliveries: number
  /** Recorded already settled (ignored or failed at the edge): `processed_at` is set. */
  settled: boolean
  read_session: boolean
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
  /** Read the payment session of each delivery that asks for it (`read_session`) in the same statement. */
  readSessions: boolean
  /**
   * Run it as a named prepared statement: PostgreSQL plans it once per connection instead of on
   * every group (planning costs more than writing ten rows). Off behind a pooler in transaction
   * mode, where a connection's prepared statements are not there on the next transaction.
   */
  prepared: boolean
}

const keyOf = (input: { provider_id: string; event_id: string }) => `${input.provider_id}\u0000${input.event_id}`

function toRow(input: DeliveryRecordInput, deliveries: number, keepRawBody: boolean): IncomingRow {
  const amount = input.amount === null ? null : String(input.amount)
  return {
    ...input,
    id: newInboxEventId(),
    amount,
    raw_amount: amount === null ? null : { value: amount, precision: 20 },
    deliveries,
    settled: input.status !== "received",
    raw_body: keepRawBody ? input.raw_body : null,
    read_session: input.read_session ?? false,
  }
}

/** The statement, and the name it is prepared under (its text's hash: another text never reuses a name). */
function statement(readSessions: boolean): { sql: string; name: string } {
  const sql = statementText(readSessions)
  return { sql, name: `mpw_record_deliveries_${createHash("sha1").update(sql).digest("hex").slice(0, 12)}` }
}

function statementText(readSessions: boolean): string {
  const session = readSessions
    ? `s.id IS NOT NULL AS session_found, s.amount::text AS session_amount, s.currency_code AS session_currency
       FROM written w JOIN incoming i ON i.provider_id = w.provider_id AND i.event_id = w.event_id
       LEFT JOIN payment_session s ON i.read_session AND s.id = i.session_id AND s.deleted_at IS NULL`
    : `false AS session_found, NULL AS session_amount, NULL AS session_currency FROM written w`
  // One JSON parameter for the whole group: one statement, one round trip and one commit whatever its size.
  return `WITH incoming AS (
      SELECT * FROM json_to_recordset(?::json) AS t(
        id text, provider_id text, event_id text, event_type text, session_id text, action text, amount numeric,
        raw_amount jsonb, currency_code text, status text, source text, deliveries integer, last_error text,
        settled boolean, body_hash text, details jsonb, raw_body text, read_session boolean)
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

const WITH_SESSIONS = statement(true)
const WITHOUT_SESSIONS = statement(false)


/** Runs the statement once, named (prepared) or not, cancelled in PostgreSQL past the timeout. */
async function run(knex: RawRunner, options: InsertDeliveriesOptions, parameters: string[], prepared: boolean): Promise<{ rows: WrittenRow[] }> {
  const { sql, name } = options.readSessions ? WITH_SESSIONS : WITHOUT_SESSIONS
  const query = knex.raw(sql, parameters)
  const result = await (prepared ? query.options({ name }) : query).timeout(options.timeoutMs, { cancel: true })
  return result as { rows: WrittenRow[] }
}

/**
 * A prepared statement missing (26000) or already there (42P05) where the driver expected
 * otherwise: a pooler in transaction mode handed the connection's next transaction to another backend.
 */
function isPreparedStatementMismatch(error: unknown): boolean {
  return hasPostgresCode(error, "26000", "42P05")
}

/** What {@link insertDeliveries} answers: one outcome per input, and whether prepared statements still work. */
export type InsertedDeliveries = { outcomes: RecordOutcome[]; prepared: boolean }

/**
 * Records a group of deliveries in one autocommit statement: new events are inserted, events
 * already there only have `deliveries` counted up. Deliveries of the same event within the group
 * become one row (PostgreSQL refuses to touch a row twice in one statement), and rows go in key
 * order so two concurrent groups never wait on each other in a cycle. With `readSessions`, each
 * new authorize/capture event comes back with its payment session's amount and currency, read in
 * the same statement, for the edge's amount check. Answers one outcome per input, in order.
 */
export async function insertDeliveries(knex: RawRunner, inputs: DeliveryRecordInput[], options: InsertDeliveriesOptions): Promise<InsertedDeliveries> {
  const groups = new Map<string, DeliveryRecordInput[]>()
  for (const input of inputs) {
    const key = keyOf(input)
    groups.set(key, [...(groups.get(key) ?? []), input])
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, same]) => toRow(same[0], same.length, options.keepRawBody))
  const parameters = [JSON.stringify(rows)]
  let prepared = options.prepared
  let result: { rows: WrittenRow[] }
  try {
    result = await run(knex, options, parameters, prepared)
  } catch (error) {
    if (!prepared || !isPreparedStatementMismatch(error)) {
      throw error
    }
    // The statement failed as a whole, so nothing was written: the same group again, unprepared.
    prepared = false
    result = await run(knex, options, parameters, prepared)
  }
  const written = new Map(result.rows.map((row) => [keyOf(row), row]))
  const answered = new Set<string>()
  const outcomes = inputs.map((input): RecordOutcome => {
    const key = keyOf(input)
    const row = written.get(key)
    if (!row) {
      throw new Error(`the inbox returned no row for ${input.provider_id} event ${input.event_id}`)
    }
    // Only the first delivery of an event in the group can be the one that inserted it.
    const first = !answered.has(key)
    answered.add(key)
    const duplicate = !(first && row.inserted)
    if (duplicate || !options.readSessions || !input.read_session) {
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
  return { outcomes, prepared }
}
