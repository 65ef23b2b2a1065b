import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** One processor: claims with a lease and records what it did; reconciliation checks get their own table. */
export class Migration20261129130506 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_webhook_event" add column if not exists "claim_token" text null, add column if not exists "lease_until" timestamptz null, add column if not exists "outcome" jsonb null;`);
    // Reconciliation's checks used to be pseudo-deliveries: they move to their own table.
    this.addSql(`delete from "payment_webhook_event" where "source" = 'reconciliation' and "event_id" like 'check:%';`);
    this.addSql(`create table if not exists "payment_reconciliation_check" ("id" text not null, "provider_id" text not null, "session_id" text not null, "checks" integer not null default 0, "last_result" text null, "last_checked_at" timestamptz null, "next_check_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_reconciliation_check_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_reconciliation_check_deleted_at" ON "payment_reconciliation_check" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_reconciliation_check_provider_id_session_id_unique" ON "payment_reconciliation_check" ("provider_id", "session_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_reconciliation_check_next_check_at" ON "payment_reconciliation_check" ("next_check_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_reconciliation_check" cascade;`);
    this.addSql(`alter table if exists "payment_webhook_event" drop column if exists "claim_token", drop column if exists "lease_until", drop column if exists "outcome";`);
  }

}
