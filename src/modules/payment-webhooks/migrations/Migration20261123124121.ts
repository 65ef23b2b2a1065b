import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123124121 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "payment_webhook_event" add column if not exists "deliveries" integer not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "payment_webhook_event" drop column if exists "deliveries";`);
  }

}
