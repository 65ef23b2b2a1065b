import { model } from "@medusajs/framework/utils"

/**
 * One bulk replay a person asked for: which rows it takes, how far it got, and what became of the rows
 * taken so far. The process that drives it holds it under `runner_token` and keeps `heartbeat_at` fresh;
 * a run left `running` by a process that died is taken over by the job and continues after `cursor`.
 * At most one run is `running` at a time (the unique index below).
 */
export const PaymentWebhookReplayRun = model
  .define("payment_webhook_replay_run", {
    id: model.id({ prefix: "pwhrpl" }).primaryKey(),
    status: model.enum(["running", "done", "failed", "cancelled"]).default("running"),
    /** The status of the rows it takes (`failed`, `received` or `ignored`). */
    filter_status: model.text(),
    /** Rows received at or after this instant… */
    filter_since: model.dateTime(),
    /** …and before this one: when the run was asked for, so rows arriving meanwhile are not its own. */
    filter_until: model.dateTime(),
    /** A route key or a provider identifier, as the admin list's filter; null for every provider. */
    filter_provider: model.text().nullable(),
    /** Rows taken per batch; progress is written after each. */
    batch_size: model.number(),
    /** The last row taken (rows are taken oldest first): a resumed run continues after it. */
    cursor: model.text().nullable(),
    /** Rows that matched when the run was asked for. */
    total: model.number(),
    /** How the processor's run of each row taken ended, by its result (`processed`, `failed`, `skipped`…). */
    results: model.json(),
    /** Rows taken whose raw body was no longer kept: left as they were. */
    not_replayable: model.number().default(0),
    /** The admin actor who asked for it (a user or a secret key's id), when known. */
    requested_by: model.text().nullable(),
    /** The claim of the process driving it: only its holder writes its progress. */
    runner_token: model.text().nullable(),
    /** When that process last said it was alive (database clock). */
    heartbeat_at: model.dateTime(),
    finished_at: model.dateTime().nullable(),
    /** Why it stopped, when it ended `failed`. */
    last_error: model.text().nullable(),
  })
  .indexes([
    // One running run per store: a second request answers 409 instead of racing the first over the same rows.
    {
      name: "IDX_payment_webhook_replay_run_one_running",
      on: ["status"],
      unique: true,
      where: "status = 'running' AND deleted_at IS NULL",
    },
  ])
