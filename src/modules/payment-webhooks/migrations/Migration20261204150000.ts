import { Migration } from "@medusajs/framework/mikro-orm/migrations"
import { INBOX_INDEXES, SMALL_INBOX_ROWS } from "../indexes"

/**
 * The indexes the inbox's statements read by on a large table (see `INBOX_INDEXES`). Medusa runs a
 * module's pending migrations in one transaction, where `CREATE INDEX CONCURRENTLY` cannot run; so
 * this builds them here only while the table is small (a new store, or a young one: milliseconds),
 * and leaves them on a large table to the plugin, which builds them `CONCURRENTLY` when the store
 * starts (`ensureInboxIndexes`), while the edge goes on writing.
 */
export class Migration20261204150000 extends Migration {
  override async up(): Promise<void> {
    const creates = INBOX_INDEXES.map(
      (index) => `CREATE INDEX IF NOT EXISTS "${index.name}" ON "payment_webhook_event" ${index.definition};`,
    ).join("\n      ")
    this.addSql(
      `DO $$ BEGIN
    IF (SELECT count(*) FROM (SELECT 1 FROM "payment_webhook_event" LIMIT ${SMALL_INBOX_ROWS}) AS head) < ${SMALL_INBOX_ROWS} THEN
      ${creates}
    END IF;
  END $$;`,
    )
  }

  override async down(): Promise<void> {
    for (const index of INBOX_INDEXES) {
      this.addSql(`DROP INDEX IF EXISTS "${index.name}";`)
    }
  }
}
