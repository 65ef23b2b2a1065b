import { createHash, randomUUID } from "node:crypto"
import type { Client } from "pg"
import { round, summarize } from "../lib/stats"
import { INBOX_TABLE } from "./inbox-fill"

/**
 * The edge's delivery insert (src/modules/payment-webhooks/delivery-insert.ts), as PostgreSQL
 * receives it: one JSON recordset, `INSERT … ON CONFLICT … DO UPDATE`, prepared. Kept in step with
 * that file by hand; the figures are the statement's time on a table of a given size.
 */
const SQL = `WITH incoming AS (
    SELECT * FROM json_to_recordset($1::json) AS t(
      id text, provider_id text, event_id text, event_type text, source text, body_hash text, raw_body text,
      session_id text, deliveries integer)
  )
  INSERT INTO ${INBOX_TABLE} (id, provider_id, event_id, event_type, session_id, status, source, attempts, deliveries,
    received_at, body_hash, raw_body, created_at, updated_at)
  SELECT id, provider_id, event_id, event_type, session_id, 'received', source, 0, deliveries, now(), body_hash,
    raw_body, now(), now()
  FROM incoming
  ON CONFLICT (provider_id, event_id) WHERE deleted_at IS NULL
  DO UPDATE SET deliveries = ${INBOX_TABLE}.deliveries + EXCLUDED.deliveries, updated_at = now(),
    history = jsonb_path_query_array(COALESCE(${INBOX_TABLE}.history, '[]'::jsonb)
      || jsonb_build_array(jsonb_build_object('at', now(), 'kind', 'delivered_again', 'count', EXCLUDED.deliveries)), '$[last-29 to last]')
  RETURNING id, provider_id, event_id, (xmax = 0) AS inserted`

/** Time of one delivery insert, sequential, from the benchmark's connection (ms). */
export type InsertTime = {
  inserts: number
  p50: number
  p99: number
  mean: number
  /** The same statements with `synchronous_commit = off`: without the commit's WAL flush, which is the disk's, not the table's. */
  noFlush: { p50: number; p99: number }
}

/**
 * Inserts `count` deliveries one at a time (after 50 unmeasured), then settles them so no job
 * takes them up: the insert's own time on the table as it is now, without the edge around it.
 */
export async function timeInserts(db: Client, body: string, label: string, count = 500): Promise<InsertTime> {
  const flushed = summarize(await insertTimes(db, body, `${label}_f`, count))
  await db.query("SET synchronous_commit = off")
  try {
    const unflushed = summarize(await insertTimes(db, body, `${label}_n`, count))
    return {
      inserts: count,
      p50: round(flushed.p50, 3),
      p99: round(flushed.p99, 3),
      mean: round(flushed.mean, 3),
      noFlush: { p50: round(unflushed.p50, 3), p99: round(unflushed.p99, 3) },
    }
  } finally {
    await db.query("SET synchronous_commit = on")
  }
}

async function insertTimes(db: Client, body: string, label: string, count: number): Promise<number[]> {
  const times: number[] = []
  const prefix = `evt_bench_insert_${label}_`
  for (let index = 0; index < count + 50; index++) {
    const row = {
      id: `pwhevt_${randomUUID().replace(/-/g, "")}`,
      provider_id: "stripe_mpw",
      event_id: `${prefix}${index}`,
      event_type: "payment_intent.succeeded",
      source: "webhook",
      body_hash: createHash("sha256").update(body).update(String(index)).digest("hex"),
      raw_body: body,
      session_id: null,
      deliveries: 1,
    }
    const started = performance.now()
    await db.query({ name: "mpw_bench_insert", text: SQL, values: [JSON.stringify([row])] })
    if (index >= 50) {
      times.push(performance.now() - started)
    }
  }
  await db.query(`UPDATE ${INBOX_TABLE} SET status = 'ignored', processed_at = now() WHERE event_id LIKE $1 AND status = 'received'`, [`${prefix}%`])
  return times
}
