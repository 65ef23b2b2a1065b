import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Deliveries of providers from other packages: whether the provider's own verification answered at the
 * edge, and, when it did not, the headers the processor's verification needs. Adding columns with a
 * constant default rewrites no row (PostgreSQL 11+), so this is instant on a large inbox.
 */
export class Migration20261204130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "payment_webhook_event" add column if not exists "verified" boolean not null default true, add column if not exists "verify_headers" jsonb null;`,
    )
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "payment_webhook_event" drop column if exists "verified", drop column if exists "verify_headers";`)
  }
}
