import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** The job's heartbeat (for the health check), and the indexes retention deletes by. */
export class Migration20261129163000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "payment_webhook_job_run" ("id" text not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "process_kind" text not null, "host" text not null, "pid" integer not null, "interval_ms" integer not null, "duration_ms" integer null, "summary" jsonb null, "last_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_webhook_job_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_job_run_deleted_at" ON "payment_webhook_job_run" ("deleted_at") WHERE deleted_at IS NULL;`);
    // Retention finds settled rows by age without reading the rest of the table.
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_settled_processed_at" ON "payment_webhook_event" ("processed_at") WHERE status IN ('processed', 'ignored') AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_reconciliation_check_last_checked_at" ON "payment_reconciliation_check" ("last_checked_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_reconciliation_check_last_checked_at";`);
    this.addSql(`drop index if exists "IDX_payment_webhook_event_settled_processed_at";`);
    this.addSql(`drop table if exists "payment_webhook_job_run" cascade;`);
  }

}
