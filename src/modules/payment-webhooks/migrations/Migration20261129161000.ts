import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** What the admin shows of a delivery: the PSP's payment id (searchable), whether a person must look, and its history. */
export class Migration20261129161000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_webhook_event" add column if not exists "psp_reference" text null, add column if not exists "needs_attention" boolean not null default false, add column if not exists "history" jsonb null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_payment_webhook_event_psp_reference" ON "payment_webhook_event" ("psp_reference") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_payment_webhook_event_psp_reference";`);
    this.addSql(`alter table if exists "payment_webhook_event" drop column if exists "psp_reference", drop column if exists "needs_attention", drop column if exists "history";`);
  }

}
