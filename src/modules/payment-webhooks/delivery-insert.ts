import { createHash } from "node:crypto"
import { newInboxEventId } from "./event-id"
import { HISTORY_LIMIT } from "./history"
import { hasPostgresCode } from "./postgres-error"
import type { RawRunner } from "./raw-runner"
import { storableText } from "./storable-text"
import type { DeliveryRecordInput, RecordOutcome } from "./types"
import { INBOX_TABLE } from "./tables"

/** One row of the statement: deliveries of the same event in one group become one row. */
type IncomingRow = DeliveryRecordInput & { id: string; deliveries: number }

type WrittenRow = { id: string; provider_id: string; event_id: string; inserted: boolean }

/** Options of {@link insertDeliveries}. */
export type InsertDeliveriesOptions = {
  /** Cancel the statement in PostgreSQL past this. */
  timeoutMs: number
  /**
   * Run it as a named prepared statement: PostgreSQL plans it once per connection instead of on
   * every group (planning costs more than writing ten rows). Off behind a pooler in transaction
   * mode, where a connection's prepared statements are not there on the next transaction.
   */
  prepared: boolean
}

const keyOf = (input: { provider_id: string; event_id: string }) => `${input.provider_id}\u0000${input.event_id}`

/** The row as PostgreSQL can store it: every text made storable (see {@link storableText}). */
function toRow(input: DeliveryRecordInput, deliveries: number): IncomingRow {
  return {
    id: newInboxEventId(),
    provider_id: storableText(input.provider_id),
    event_id: storableText(input.event_id),
    event_type: storableText(input.event_type),
    source: input.source,
    body_hash: input.body_hash,
    raw_body: storableText(input.raw_body),
    session_id: storableText(input.session_id ?? null),
    action: storableText(input.action ?? null),
    amount: input.amount ?? null,
    verified: input.verified ?? true,
    verify_headers: input.verify_headers ?? null,
    deliveries,
  }
}

/**
 * The edge's insert: every delivery of a group as one JSON parameter (one statement, one round trip
 * and one commit whatever its size), `$1` for node-postgres or `?` for knex. The benchmark times this
 * very text on its own connection.
 */
export function deliveryInsertSql(placeholder: "?" | "$1"): string {
  return `WITH incoming AS (
    SELECT * FROM json_to_recordset(${placeholder}::json) AS t(
      id text, provider_id text, event_id text, event_type text, source text, body_hash text, raw_body text,
      session_id text, action text, amount numeric, verified boolean, verify_headers jsonb, deliveries integer)
  )
  INSERT INTO ${INBOX_TABLE} (id, provider_id, event_id, event_type, session_id, action, amount, raw_amount, status, source, attempts,
    deliveries, received_at, body_hash, raw_body, verified, verify_headers, created_at, updated_at)
  SELECT id, provider_id, event_id, event_type, session_id, action, amount,
    CASE WHEN amount IS NULL THEN NULL ELSE jsonb_build_object('value', amount::text, 'precision', 20) END,
    'received', source, 0, deliveries, now(), body_hash, raw_body, verified, verify_headers, now(), now()
  FROM incoming
  ON CONFLICT (provider_id, event_id) WHERE deleted_at IS NULL
  DO UPDATE SET deliveries = ${INBOX_TABLE}.deliveries + EXCLUDED.deliveries, updated_at = now(),
    history = jsonb_path_query_array(COALESCE(${INBOX_TABLE}.history, '[]'::jsonb)
      || jsonb_build_array(jsonb_build_object('at', now(), 'kind', 'delivered_again', 'count', EXCLUDED.deliveries)), '$[last-${HISTORY_LIMIT - 1} to last]')
  RETURNING id, provider_id, event_id, (xmax = 0) AS inserted`
}

const SQL = deliveryInsertSql("?")

/** The name the statement is prepared under (its text's hash: another text never reuses a name). */
const NAME = `mpw_record_deliveries_${createHash("sha1").update(SQL).digest("hex").slice(0, 12)}`

/** Runs the statement once, named (prepared) or not, cancelled in PostgreSQL past the timeout. */
async function run(knex: RawRunner, rows: IncomingRow[], options: InsertDeliveriesOptions, prepared: boolean): Promise<WrittenRow[]> {
  const query = knex.raw(SQL, [JSON.stringify(rows)])
  const result = (await (prepared ? query.options({ name: NAME }) : query).timeout(options.timeoutMs, { cancel: true })) as {
    rows: WrittenRow[]
  }
  return result.rows
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
 * order so two concurrent groups never wait on each other in a cycle. Answers one outcome per input, in order.
 */
export async function insertDeliveries(
  knex: RawRunner,
  inputs: DeliveryRecordInput[],
  options: InsertDeliveriesOptions,
): Promise<InsertedDeliveries> {
  const groups = new Map<string, DeliveryRecordInput[]>()
  for (const input of inputs) {
    const key = keyOf(input)
    groups.set(key, [...(groups.get(key) ?? []), input])
  }
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, same]) => toRow(same[0], same.length))
  let prepared = options.prepared
  let written: WrittenRow[]
  try {
    written = await run(knex, rows, options, prepared)
  } catch (error) {
    if (!prepared || !isPreparedStatementMismatch(error)) {
      throw error
    }
    // The statement failed as a whole, so nothing was written: the same group again, unprepared.
    prepared = false
    written = await run(knex, rows, options, prepared)
  }
  // Rows come back with storable keys: look each input up by the same.
  const byKey = new Map(written.map((row) => [keyOf(row), row]))
  const answered = new Set<string>()
  const outcomes = inputs.map((input): RecordOutcome => {
    const key = keyOf({ provider_id: storableText(input.provider_id), event_id: storableText(input.event_id) })
    const row = byKey.get(key)
    if (!row) {
      throw new Error(`the inbox returned no row for ${input.provider_id} event ${input.event_id}`)
    }
    // Only the first delivery of an event in the group can be the one that inserted it.
    const first = !answered.has(key)
    answered.add(key)
    return { id: row.id, duplicate: !(first && row.inserted) }
  })
  return { outcomes, prepared }
}
