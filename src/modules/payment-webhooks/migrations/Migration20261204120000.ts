import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The session lock is held through Medusa's Locking module now (the module a split deployment already
 * shares, for Medusa's own cart lock): the plugin's own lock table goes.
 */
export class Migration20261204120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop table if exists "payment_webhook_lock" cascade;`)
  }

  override async down(): Promise<void> {
    this.addSql(`create table if not exists "payment_webhook_lock" ("id" text not null, "holder" text not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "payment_webhook_lock_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_lock_deleted_at" ON "payment_webhook_lock" ("deleted_at") WHERE deleted_at IS NULL;`)
  }
}
