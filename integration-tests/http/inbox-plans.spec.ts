import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Client } from "pg"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { analyzeInbox, fillInbox } from "../../src/modules/payment-webhooks/fixtures"
import { withDatabase } from "../support/database"
import { usePspFakes } from "../support/psp-fakes"

jest.setTimeout(15 * 60 * 1000)

usePspFakes("whsec_plans_secret")

/** A store's year of payments: the planner chooses as it would in production only on a table this size. */
const ROWS = Number(process.env.INBOX_PLAN_ROWS ?? 1_000_000)

/** A statement as the database driver sent it. */
type SentStatement = { sql: string; bindings: unknown[] }

/** One node of `EXPLAIN (FORMAT JSON)`'s plan tree. */
type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] }

/** Every node of a plan. */
function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)]
}

/** The plan's nodes that read the inbox table whole. */
async function seqScansOfInbox(db: Client, statement: SentStatement): Promise<PlanNode[]> {
  const { rows } = await db.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.bindings)
  return nodesOf(rows[0]["QUERY PLAN"][0].Plan).filter(
    (node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "payment_webhook_event",
  )
}

medusaIntegrationTestRunner({
  // An hour: the scheduled job's own retention never runs on the filled table while the test reads plans.
  env: { PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "3600000" },
  testSuite: ({ getContainer, dbConfig }) => {
    const inbox = () => getContainer().resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)

    it("builds a missing index concurrently, and rebuilds one a failed concurrent build left invalid", async () => {
      const indexes = (db: Client) =>
        db.query<{ name: string; valid: boolean }>(
          `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid = 'payment_webhook_event'::regclass AND c.relname = ANY($1) ORDER BY 1`,
          [["IDX_payment_webhook_event_event_id", "IDX_payment_webhook_event_raw_body_kept"]],
        )
      await withDatabase(dbConfig.clientUrl, async (db) => {
        await db.query(`DROP INDEX "IDX_payment_webhook_event_event_id"`)
        // What a concurrent build that died halfway leaves: the index there, marked invalid.
        await db.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = '"IDX_payment_webhook_event_raw_body_kept"'::regclass`)
      })
      expect((await inbox().ensureIndexes()).sort()).toEqual([
        "IDX_payment_webhook_event_event_id",
        "IDX_payment_webhook_event_raw_body_kept",
      ])
      const after = await withDatabase(dbConfig.clientUrl, async (db) => (await indexes(db)).rows)
      expect(after).toEqual([
        { name: "IDX_payment_webhook_event_event_id", valid: true },
        { name: "IDX_payment_webhook_event_raw_body_kept", valid: true },
      ])
      // All there: nothing to build, one catalog read.
      expect(await inbox().ensureIndexes()).toEqual([])
    })

    it(`runs every statement that can touch many inbox rows on an index, at ${ROWS.toLocaleString("en")} rows`, async () => {
      // A year of settled deliveries, and what a store also has: failed ones, some flagged for a person,
      // some still waiting (a few in backoff), reconciliation rows, unverified ones of another package.
      await withDatabase(dbConfig.clientUrl, async (db) => {
        await fillInbox(db, {
          from: 1,
          count: ROWS,
          bodyTemplate: null,
          minAgeDays: 0,
          providerId: "stripe_stripe",
          eventTypes: [
            "payment_intent.amount_capturable_updated",
            "payment_intent.succeeded",
            "charge.refunded",
            "payment_intent.payment_failed",
          ],
          pspReferencePrefix: "pi_fill_",
        })
        await db.query(`UPDATE payment_webhook_event SET raw_body = '{"id":"evt"}' WHERE id LIKE 'pwhevt_fill%' AND right(id, 2) = '07'`)
        await db.query(
          `UPDATE payment_webhook_event SET status = 'failed', needs_attention = right(id, 4) = '5000' WHERE right(id, 3) = '500'`,
        )
        await db.query(
          `UPDATE payment_webhook_event SET status = 'received', processed_at = NULL, next_attempt_at = CASE WHEN right(id, 1) = '3' THEN now() + interval '5 minutes' END
           WHERE id >= 'pwhevt_fill' || lpad(${ROWS - 200}::text, 9, '0')`,
        )
        await db.query(`UPDATE payment_webhook_event SET source = 'reconciliation' WHERE right(id, 4) = '0042'`)
        await db.query(
          `UPDATE payment_webhook_event SET provider_id = 'acme_acme', verified = right(id, 3) <> '777' WHERE right(id, 3) IN ('777', '778')`,
        )
        await analyzeInbox(db)
      })

      const sent: SentStatement[] = []
      const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const listen = (query: { sql: string; bindings?: unknown[] }) => {
        if (query.sql.includes("payment_webhook_event")) {
          sent.push({ sql: query.sql, bindings: query.bindings ?? [] })
        }
      }
      knex.on("query", listen)
      const module = inbox()
      const keys = { sessionIds: ["payses_fill_1200"], pspReferences: ["pi_fill_4500"] }
      try {
        // The admin's reads.
        await module.statusSummary()
        for (const filter of [
          {},
          { status: "failed" as const },
          { status: "received" as const },
          { needsAttention: true },
          { providerId: { $like: "stripe\\_%" } },
          { source: "reconciliation" as const },
          { receivedFrom: new Date(Date.now() - 7 * 86_400_000), receivedTo: new Date() },
          { keyGroups: [{ ids: ["evt_fill_77"], sessionIds: ["evt_fill_77"], eventIds: ["evt_fill_77"], pspReferences: ["evt_fill_77"] }] },
          { keyGroups: [keys] },
        ]) {
          await module.pageOfDeliveries(filter, { limit: 20, offset: 0 })
        }
        await module.pageOfDeliveries({}, { limit: 20, offset: 9_980 })
        await module.listPaymentWebhookEvents(
          { $or: [{ session_id: keys.sessionIds }, { psp_reference: keys.pspReferences }] },
          { take: 50, order: { received_at: "DESC", id: "DESC" } },
        )
        const candidates = await module.replayCandidates({ status: "failed", since: new Date(Date.now() - 30 * 86_400_000), limit: 50 })
        await module.replayCandidates({
          status: "failed",
          since: new Date(Date.now() - 30 * 86_400_000),
          providerId: { $like: "stripe\\_%" },
          after: candidates.rows.at(-1)?.id,
          limit: 50,
        })
        // The job's and the health check's.
        await module.dueDeliveryIds()
        await module.inboxFigures(300)
        await module.healthReadings("payment-webhooks-redrive", 300, 5_000)
        await module.unverifiedWaiting("acme_acme", 1_000)
        // Retention: one small batch each (their plans are what matters, not the rows they take).
        const oneBatch = { batchSize: 10, budgetMs: 0 }
        await module.dropOldRawBodies(oneBatch)
        await module.pruneSettled(oneBatch)
        await module.pruneForgeries(oneBatch)
        await module.pruneReconciliationChecks(oneBatch)
      } finally {
        knex.off("query", listen)
      }

      const distinct = [...new Map(sent.map((statement) => [statement.sql, statement])).values()]
      // Each kind of statement above was seen: the listener caught the module's own SQL, not just some of it.
      expect(distinct.length).toBeGreaterThanOrEqual(20)
      for (const marker of [
        "raw_body = NULL",
        "DELETE FROM payment_webhook_event",
        "LIMIT 10000",
        "ORDER BY received_at DESC",
        "verified = false",
      ]) {
        expect(distinct.some((statement) => statement.sql.includes(marker))).toBe(true)
      }
      const offenders = await withDatabase(dbConfig.clientUrl, async (db) => {
        const found: string[] = []
        for (const statement of distinct) {
          if ((await seqScansOfInbox(db, statement)).length) {
            found.push(statement.sql.replace(/\s+/g, " ").slice(0, 300))
          }
        }
        return found
      })
      expect(offenders).toEqual([])
    })
  },
})
