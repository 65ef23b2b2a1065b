import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123115105 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_webhook_event" drop constraint if exists "payment_webhook_event_provider_id_event_id_unique";`);
    this.addSql(`create table if not exists "payment_webhook_event" ("id" text not null, "provider_id" text not null, "event_id" text not null, "event_type" text null, "session_id" text null, "action" text null, "amount" numeric null, "currency_code" text null, "status" text check ("status" in ('received', 'processed', 'ignored', 'failed')) not null default 'received', "source" text check ("source" in ('webhook', 'reconciliation')) not null default 'webhook', "attempts" integer not null default 0, "last_error" text null, "received_at" timestamptz not null, "processed_at" timestamptz null, "next_attempt_at" timestamptz null, "body_hash" text not null, "details" jsonb null, "raw_body" text null, "raw_amount" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_webhook_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_deleted_at" ON "payment_webhook_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_webhook_event_provider_id_event_id_unique" ON "payment_webhook_event" ("provider_id", "event_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_status_next_attempt_at" ON "payment_webhook_event" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_session_id" ON "payment_webhook_event" ("session_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_webhook_event" cascade;`);
  }

}
