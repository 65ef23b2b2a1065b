import { createHash, randomUUID } from "node:crypto"
import type { Client } from "pg"
import { round, summarize } from "../lib/stats"
import { deliveryInsertSql } from "../../src/modules/payment-webhooks/delivery-insert"
import { setAside } from "../../src/modules/payment-webhooks/inspection"

/** The edge's own delivery insert, as PostgreSQL receives it from node-postgres. */
const SQL = deliveryInsertSql("$1")

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
      action: null,
      amount: null,
      // A delivery verified at the edge, as the edge's own row for one has it.
      verified: true,
      verify_headers: null,
      deliveries: 1,
    }
    const started = performance.now()
    await db.query({ name: "mpw_bench_insert", text: SQL, values: [JSON.stringify([row])] })
    if (index >= 50) {
      times.push(performance.now() - started)
    }
  }
  await setAside(db, { eventIdPrefix: prefix }, "benchmark: insert timing")
  return times
}
