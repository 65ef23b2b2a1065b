import type { InboxResult } from "../../phases/inbox"
import type { Section } from "../results"
import { cell, measuredOn } from "./common"

/** Cost as the inbox grows: the edge at each size, bytes per row (the admin, the job and retention: `inbox-admin.ts`). */
export function inboxSection(section: Section<InboxResult>): string[] {
  const { result } = section
  const lines = [
    `**Cost as the inbox grows** (the table filled by a direct \`INSERT … SELECT generate_series\` of settled rows with every column the processor leaves ` +
      `and a ${result.rowBytes.bodyBytes}-byte raw body, all older than the 90-day retention age; at each size ${result.requestsPerRoute.toLocaleString("en")} acks per route at concurrency ${result.concurrency}, ` +
      "the plugin's and Medusa's interleaved in 3 rounds; the edge's delivery insert timed alone, one at a time, from a separate connection, " +
      "with the commit's WAL flush as the edge has it and without it (`synchronous_commit = off`: the flush is the disk's, the rest the table's)):",
    measuredOn(section),
    "",
    "| rows in the inbox | table MiB | plugin req/s | plugin p99 ms | Medusa req/s | Medusa p99 ms | plugin ÷ Medusa req/s | plugin ÷ Medusa p99 | insert p50 / p99 ms | without the flush p50 / p99 ms | plugin vs empty: req/s, p99, insert p50 without the flush | non-2xx |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ]
  for (const level of result.levels) {
    lines.push(
      `| ${level.rows.toLocaleString("en")} | ${cell(level.tableBytes / 2 ** 20)} | ${cell(level.plugin.throughput)} | ${cell(level.plugin.p99)} | ${cell(level.medusa.throughput)} | ${cell(level.medusa.p99)} | ` +
        `${cell(level.ratios.throughput, 2)}× | ${cell(level.ratios.p99, 2)}× | ${cell(level.insert.p50, 2)} / ${cell(level.insert.p99, 2)} | ${cell(level.insert.noFlush?.p50, 2)} / ${cell(level.insert.noFlush?.p99, 2)} | ` +
        `${cell(level.vsEmpty.throughput, 2)}×, ${cell(level.vsEmpty.p99, 2)}×, ${cell(level.vsEmpty.insertP50, 2)}× | ${level.failures} |`,
    )
  }
  lines.push(
    "",
    `- Bytes per row on disk (heap, TOAST and indexes ÷ rows, ${result.rowBytes.rows.toLocaleString("en")} rows): **${result.rowBytes.withBody.toLocaleString("en")}** with raw bodies, ` +
      `**${result.rowBytes.withoutBody.toLocaleString("en")}** without (${cell(result.rowBytes.withBody / result.rowBytes.withoutBody, 2)}×).`,
  )
  return lines
}
