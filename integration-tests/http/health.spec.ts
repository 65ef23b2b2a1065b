import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { redrivePaymentWebhooksWorkflow } from "../../src/workflows/redrive-payment-webhooks"
import type { HealthReport } from "../../src/webhooks/health/report"
import { createAdminSecret } from "../support/admin-key"
import { adminRequest, basicAuth } from "../support/admin-request"
import { withDatabase } from "../support/database"
import { usePspFakes } from "../support/psp-fakes"

jest.setTimeout(180_000)

usePspFakes("whsec_health_secret")

/** A row of the inbox as a test writes it straight into the table: ages in SQL intervals, e.g. `'100 days'`. */
type SeedRow = {
  id: string
  status: "received" | "processed" | "ignored" | "failed"
  received: string
  processed?: string
  nextAttempt?: string
  needsAttention?: boolean
  rawBody?: string
}

medusaIntegrationTestRunner({
  // An hour: the scheduled job never runs on its own during this file, so each test decides when it does.
  env: { PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "3600000" },
  testSuite: ({ getContainer, api, dbConfig }) => {
    let secret: string

    // The runner restores the database to its state after this hook before every test: each test starts with no job run and no rows.
    beforeAll(async () => {
      secret = await createAdminSecret(getContainer())
    })

    const health = (): Promise<{ status: number; body: HealthReport }> =>
      adminRequest(api.defaults.baseURL, basicAuth(secret), "GET", "/admin/payment-webhooks/health")

    async function insertRows(rows: SeedRow[]): Promise<void> {
      await withDatabase(dbConfig.clientUrl, async (db) => {
        for (const row of rows) {
          await db.query(
            `INSERT INTO payment_webhook_event (id, provider_id, event_id, event_type, status, source, attempts, deliveries, body_hash,
               received_at, processed_at, next_attempt_at, needs_attention, raw_body, created_at, updated_at)
             VALUES ($1, 'stripe_stripe', $1, 'payment_intent.succeeded', $2, 'webhook', 1, 1, 'test',
               now() - $3::interval, now() - $4::interval, now() + $5::interval, $6, $7, now() - $3::interval, now())`,
            [
              row.id,
              row.status,
              row.received,
              row.processed ?? null,
              row.nextAttempt ?? null,
              row.needsAttention ?? false,
              row.rawBody ?? null,
            ],
          )
        }
      })
    }

    const runJob = () => redrivePaymentWebhooksWorkflow(getContainer()).run({ input: {} })

    it("answers 401 without credentials", async () => {
      const response = await fetch(`${api.defaults.baseURL}/admin/payment-webhooks/health`)
      expect(response.status).toBe(401)
    })

    it("answers 503 before the job ever ran, saying so, and lists the providers without their secrets", async () => {
      const { status, body } = await health()
      expect(status).toBe(503)
      expect(body).toMatchObject({
        status: "failing",
        job: null,
        job_interval_ms: 3_600_000,
        backlog: { unprocessed: 0, oldest_age_seconds: null, overdue: 0 },
        failures_24h: 0,
        modules: { event_bus: "in-memory", workflow_engine: "in-memory", worker_mode: "shared" },
      })
      expect(body.problems).toEqual([expect.stringContaining("The job payment-webhooks-redrive has not run yet")])
      expect(body.providers.map((provider) => provider.key)).toEqual(["stripe_auto", "stripe_stripe", "yoco_yoco"])
      expect(body.providers.every((provider) => provider.webhook_secret_configured === true && provider.webhook_secrets === 1)).toBe(true)
      expect(JSON.stringify(body)).not.toContain("whsec_")
    })

    it("answers 200 once the job has run, naming the process that ran it", async () => {
      const before = Date.now()
      await runJob()
      const { status, body } = await health()
      expect(status).toBe(200)
      expect(body).toMatchObject({
        status: "ok",
        problems: [],
        job: { process_kind: "shared", pid: process.pid, last_error: null, summary: { redriven: { taken: 0 }, retention: { pruned: 0 } } },
        backlog: { unprocessed: 0, oldest_age_seconds: null, overdue: 0 },
      })
      expect(new Date(body.job!.last_ran_at!).getTime()).toBeGreaterThanOrEqual(before - 5_000)
    })

    it("reports the backlog, its oldest age, what is overdue and the day's failures from the rows", async () => {
      await runJob()
      await insertRows([
        // Due for five hours and nobody took it: overdue (the job should have, three periods ago).
        { id: "pwhevt_health_overdue", status: "received", received: "5 hours" },
        // In its backoff: unprocessed, not overdue.
        { id: "pwhevt_health_backoff", status: "received", received: "10 minutes", nextAttempt: "1 hour" },
        { id: "pwhevt_health_failed", status: "failed", received: "2 hours", processed: "1 hour", needsAttention: true },
        { id: "pwhevt_health_old_failure", status: "failed", received: "3 days", processed: "2 days" },
      ])
      const { status, body } = await health()
      expect(status).toBe(200)
      expect(body).toMatchObject({ status: "degraded", backlog: { unprocessed: 2, overdue: 1 }, failures_24h: 1, needs_attention_24h: 1 })
      expect(body.backlog!.oldest_age_seconds).toBeGreaterThanOrEqual(5 * 3600)
      expect(body.backlog!.oldest_age_seconds).toBeLessThan(5 * 3600 + 120)
      expect(body.problems).toEqual(
        expect.arrayContaining([
          "1 deliveries are due but the job has not taken them up",
          expect.stringContaining("1 deliveries failed in the last 24 h"),
          expect.stringContaining("1 payments need a person's attention"),
        ]),
      )
    })

    it("prunes settled rows older than retentionDays in the job's pass, keeping recent, failed and flagged ones", async () => {
      await insertRows([
        { id: "pwhevt_health_old_processed", status: "processed", received: "100 days", processed: "100 days" },
        { id: "pwhevt_health_old_ignored", status: "ignored", received: "95 days", processed: "91 days" },
        { id: "pwhevt_health_recent", status: "processed", received: "10 days", processed: "10 days" },
        { id: "pwhevt_health_old_failed", status: "failed", received: "100 days", processed: "100 days" },
        { id: "pwhevt_health_old_flagged", status: "processed", received: "100 days", processed: "100 days", needsAttention: true },
      ])
      await withDatabase(dbConfig.clientUrl, (db) =>
        db.query(
          `INSERT INTO payment_reconciliation_check (id, provider_id, session_id, checks, last_result, last_checked_at, next_check_at)
         VALUES ('pwhchk_old', 'stripe_stripe', 'payses_old', 9, 'requires_payment_method', now() - interval '4 days', now() - interval '3 days'),
                ('pwhchk_recent', 'stripe_stripe', 'payses_recent', 1, 'requires_payment_method', now() - interval '1 hour', now() + interval '1 hour')`,
        ),
      )

      const { result } = await runJob()
      expect(result.retention).toMatchObject({ pruned: 2, checks_pruned: 1 })
      const left = await withDatabase(dbConfig.clientUrl, async (db) => ({
        events: (
          await db.query<{ id: string }>("SELECT id FROM payment_webhook_event WHERE id LIKE 'pwhevt_health_%' ORDER BY id")
        ).rows.map((row) => row.id),
        checks: (await db.query<{ id: string }>("SELECT id FROM payment_reconciliation_check ORDER BY id")).rows.map((row) => row.id),
      }))
      expect(left).toEqual({
        events: ["pwhevt_health_old_failed", "pwhevt_health_old_flagged", "pwhevt_health_recent"],
        checks: ["pwhchk_recent"],
      })
      expect((await health()).body.job?.summary).toMatchObject({ retention: { pruned: 2, checks_pruned: 1 } })
    })

    it("drops the raw bodies of settled rows past rawBodyRetentionDays, and keeps those of failed and flagged rows for a person", async () => {
      const body = '{"id":"evt_kept"}'
      await insertRows([
        { id: "pwhevt_health_body_old", status: "processed", received: "40 days", processed: "40 days", rawBody: body },
        { id: "pwhevt_health_body_ignored", status: "ignored", received: "40 days", processed: "40 days", rawBody: body },
        { id: "pwhevt_health_body_recent", status: "processed", received: "10 days", processed: "10 days", rawBody: body },
        { id: "pwhevt_health_body_failed", status: "failed", received: "40 days", processed: "40 days", rawBody: body },
        {
          id: "pwhevt_health_body_flagged",
          status: "processed",
          received: "40 days",
          processed: "40 days",
          needsAttention: true,
          rawBody: body,
        },
      ])
      const { result } = await runJob()
      expect(result.retention).toMatchObject({ bodies_dropped: 2 })
      const kept = await withDatabase(dbConfig.clientUrl, async (db) =>
        (
          await db.query<{ id: string }>(
            "SELECT id FROM payment_webhook_event WHERE id LIKE 'pwhevt_health_body_%' AND raw_body IS NOT NULL ORDER BY id",
          )
        ).rows.map((row) => row.id),
      )
      expect(kept).toEqual(["pwhevt_health_body_failed", "pwhevt_health_body_flagged", "pwhevt_health_body_recent"])
      // The failed row can still be replayed: its body is there.
      expect(await getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE).requeue("pwhevt_health_body_failed")).toBe(
        "requeued",
      )
    })

    it("ages the backlog from when a delivery became due: one waiting out its retry backoff is not late", async () => {
      await runJob()
      // Received three hours ago, retried since, and waiting out its backoff: nothing is late.
      await insertRows([{ id: "pwhevt_health_in_backoff", status: "received", received: "3 hours", nextAttempt: "1 hour" }])
      const waiting = await health()
      expect(waiting.body).toMatchObject({ status: "ok", problems: [], backlog: { unprocessed: 1, oldest_age_seconds: null, overdue: 0 } })

      // Received three hours ago too, but its backoff ended 20 minutes ago and nobody took it up.
      await insertRows([{ id: "pwhevt_health_due", status: "received", received: "3 hours", nextAttempt: "-20 minutes" }])
      const late = await health()
      expect(late.body).toMatchObject({ status: "degraded", backlog: { unprocessed: 2, overdue: 0 } })
      expect(late.body.backlog!.oldest_age_seconds).toBeGreaterThanOrEqual(20 * 60)
      expect(late.body.backlog!.oldest_age_seconds).toBeLessThan(20 * 60 + 120)
      expect(late.body.problems).toEqual([expect.stringContaining("has been due for")])
    })

    it("has the database cancel a read that outlasts its timeout, so no health probe keeps a connection waiting", async () => {
      await runJob()
      const waitingReads = (db: Parameters<Parameters<typeof withDatabase>[1]>[0]) =>
        db
          .query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query ILIKE '%payment_webhook_event%'`,
          )
          .then((result) => result.rows[0].n)
      await withDatabase(dbConfig.clientUrl, async (db) => {
        // Another session holds the inbox table: every read of it waits.
        await db.query("BEGIN")
        await db.query("LOCK TABLE payment_webhook_event IN ACCESS EXCLUSIVE MODE")
        try {
          const { status, body } = await health()
          expect(status).toBe(503)
          expect(body.problems).toEqual([
            expect.stringMatching(/^The webhook inbox could not be read: .*canceling statement due to statement timeout/),
          ])
          // The lock is still held, yet no read of the health check is left waiting on it.
          expect(await waitingReads(db)).toBe(0)
        } finally {
          await db.query("ROLLBACK")
        }
      })
      expect((await health()).status).toBe(200)
    })
  },
})
