import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Bulk replays run in the background: each is recorded with its filter, its cursor and its counts, so
 * its progress can be followed and a run whose process died is resumed. The partial unique index lets
 * one run at most be `running`. A new, empty table: nothing is rewritten.
 */
export class Migration20261204140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "payment_webhook_replay_run" ("id" text not null, "status" text check ("status" in ('running', 'done', 'failed', 'cancelled')) not null default 'running', "filter_status" text not null, "filter_since" timestamptz not null, "filter_until" timestamptz not null, "filter_provider" text null, "batch_size" integer not null, "cursor" text null, "total" integer not null, "results" jsonb not null, "not_replayable" integer not null default 0, "requested_by" text null, "runner_token" text null, "heartbeat_at" timestamptz not null, "finished_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_webhook_replay_run_pkey" primary key ("id"));`,
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_replay_run_deleted_at" ON "payment_webhook_replay_run" ("deleted_at") WHERE deleted_at IS NULL;`,
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_payment_webhook_replay_run_one_running" ON "payment_webhook_replay_run" ("status") WHERE status = 'running' AND deleted_at IS NULL;`,
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payment_webhook_replay_run" cascade;`)
  }
}
