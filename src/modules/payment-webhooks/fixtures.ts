import type { PgClient } from "./inspection"
import { INBOX_TABLE } from "./tables"

/**
 * Filling the inbox with months of settled deliveries in one statement, and measuring what they
 * take on disk: for the benchmark of a large inbox, and for tests that need one.
 */

/** How the fill's rows look. */
export type FillSpec = {
  /** First row number (rows of several fills never collide). */
  from: number
  count: number
  /** A real Stripe event body; `__N__` in it is replaced by the row number, so every body differs. */
  bodyTemplate: string | null
  /** Settled this many days ago at the latest; rows are spread over the year before that. */
  minAgeDays: number
  /** The provider key the rows name (`pp_` + it is the provider). */
  providerId: string
  /** Four event types, taken in turn (authorized, captured, refunded, failed). */
  eventTypes: readonly [string, string, string, string]
  /** The start of each row's PSP payment id; the row number follows. */
  pspReferencePrefix: string
}

/**
 * Fills the inbox table with `count` settled deliveries by one `INSERT … SELECT generate_series`
 * (not through HTTP): what a store's table holds after months of payments. Columns as the
 * processor leaves them: mostly `processed` (a few `ignored`), four event types, one session per
 * three events, an outcome, details, a short history, the body's hash, and the raw body (~1–2 KB)
 * when `bodyTemplate` is given. Received `minAgeDays` to `minAgeDays + 365` days ago.
 */
export async function fillInbox(db: PgClient, spec: FillSpec, table = INBOX_TABLE): Promise<number> {
  const started = Date.now()
  await db.query(
    `INSERT INTO ${table} (id, provider_id, event_id, event_type, session_id, action, amount, raw_amount, currency_code, status, source,
        attempts, deliveries, last_error, received_at, processed_at, outcome, body_hash, details, raw_body, psp_reference, history, created_at, updated_at)
     SELECT 'pwhevt_fill' || lpad(n::text, 9, '0'), $5::text, 'evt_fill_' || n, ($6::text[])[1 + n % 4],
        'payses_fill_' || (n / 3), (ARRAY['authorized', 'captured', 'refunded', 'failed'])[1 + n % 4],
        25 + n % 500, jsonb_build_object('value', (25 + n % 500)::text, 'precision', 20), 'usd',
        CASE WHEN n % 10 = 0 THEN 'ignored' ELSE 'processed' END, 'webhook', 1, 1 + (n % 5 = 0)::int, NULL,
        at, at + interval '3 seconds',
        jsonb_build_object('kind', 'order_placed', 'order_id', 'order_fill_' || n, 'cart_id', 'cart_fill_' || (n / 3)),
        md5(n::text) || md5((n + 1)::text),
        jsonb_build_object('psp_reference', $7::text || n, 'amount', 25 + n % 500),
        CASE WHEN $2::text IS NULL THEN NULL ELSE replace($2::text, '__N__', n::text) END,
        $7::text || n,
        jsonb_build_array(jsonb_build_object('at', at, 'kind', 'attempt'), jsonb_build_object('at', at + interval '3 seconds', 'kind', 'processed')),
        at, at + interval '3 seconds'
     FROM generate_series($1::bigint, $1::bigint + $3::bigint - 1) AS n,
          LATERAL (SELECT now() - make_interval(days => $4::int) - (n % 365) * interval '1 day' - (n % 86400) * interval '1 second') AS t(at)`,
    [spec.from, spec.bodyTemplate, spec.count, spec.minAgeDays, spec.providerId, spec.eventTypes, spec.pspReferencePrefix],
  )
  return Date.now() - started
}

/** Bytes the table takes on disk (heap, TOAST and indexes) per row. */
export async function bytesPerRow(db: PgClient, table = INBOX_TABLE): Promise<{ rows: number; totalBytes: number; bytesPerRow: number }> {
  const { rows } = await db.query<{ total: string; rows: string }>(
    `SELECT pg_total_relation_size('${table}') AS total, (SELECT count(*) FROM ${table}) AS rows`,
  )
  const total = Number(rows[0].total)
  const count = Number(rows[0].rows)
  return { rows: count, totalBytes: total, bytesPerRow: count ? Math.round(total / count) : 0 }
}

/**
 * Bytes per row with and without raw bodies: the same `count` rows written into two scratch copies of
 * the inbox table (its columns and indexes), one with bodies and one without, measured, dropped.
 */
export async function measureRowBytes(
  db: PgClient,
  count: number,
  bodyTemplate: string,
  spec: Omit<FillSpec, "from" | "count" | "bodyTemplate">,
): Promise<{ rows: number; withBody: number; withoutBody: number; bodyBytes: number }> {
  const sizes: number[] = []
  for (const [name, body] of [
    ["mpw_bench_rows_with_body", bodyTemplate],
    ["mpw_bench_rows_without_body", null],
  ] as const) {
    await db.query(`DROP TABLE IF EXISTS ${name}`)
    await db.query(`CREATE TABLE ${name} (LIKE ${INBOX_TABLE} INCLUDING ALL)`)
    try {
      await fillInbox(db, { ...spec, from: 1, count, bodyTemplate: body }, name)
      await db.query(`VACUUM ANALYZE ${name}`)
      sizes.push((await bytesPerRow(db, name)).bytesPerRow)
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${name}`)
    }
  }
  return { rows: count, withBody: sizes[0], withoutBody: sizes[1], bodyBytes: Buffer.byteLength(bodyTemplate) }
}

/** Empties the inbox table (a benchmark store's own, before it fills it). */
export async function emptyInbox(db: PgClient): Promise<void> {
  await db.query(`TRUNCATE ${INBOX_TABLE}`)
}

/** Refreshes the inbox table's statistics, as after a bulk fill, so the planner sees its size. */
export async function analyzeInbox(db: PgClient): Promise<void> {
  await db.query(`VACUUM ANALYZE ${INBOX_TABLE}`)
}
