import { Text, clx } from "@medusajs/ui"
import { formatJson, formatTime } from "../lib/format"
import type { PaymentWebhookTimelineEntry, PaymentWebhookTimelineKind } from "../../types/admin-api"

const LABELS: Record<PaymentWebhookTimelineKind, string> = {
  received: "Received from the PSP",
  delivered_again: "Delivered again by the PSP",
  attempt: "Processing attempt",
  retry_scheduled: "Retry scheduled",
  processed: "Processed",
  ignored: "Ignored",
  failed: "Failed",
  replay_requested: "Replay requested",
  settled_by_person: "Settled by a person",
}

const DOTS: Partial<Record<PaymentWebhookTimelineKind, string>> = {
  processed: "bg-ui-tag-green-icon",
  failed: "bg-ui-tag-red-icon",
  ignored: "bg-ui-tag-neutral-icon",
  retry_scheduled: "bg-ui-tag-orange-icon",
  settled_by_person: "bg-ui-tag-purple-icon",
}

/** What happened to a delivery, oldest first: received, each attempt with its error, the verdict and what it did. */
export function WebhookTimeline({ entries }: { entries: PaymentWebhookTimelineEntry[] }) {
  if (!entries.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle">
        Nothing recorded yet.
      </Text>
    )
  }
  return (
    <ol className="flex flex-col gap-y-3" data-testid="payment-webhook-timeline">
      {entries.map((entry, index) => (
        <li key={`${entry.at}-${index}`} className="flex gap-x-3" data-testid="timeline-entry" data-kind={entry.kind}>
          <span className={clx("mt-1.5 size-2 shrink-0 rounded-full", DOTS[entry.kind] ?? "bg-ui-tag-blue-icon")} />
          <div className="flex min-w-0 flex-col">
            <Text size="small" weight="plus" leading="compact">
              {LABELS[entry.kind] ?? entry.kind}
              {entry.attempt !== undefined ? ` #${entry.attempt}` : ""}
            </Text>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {formatTime(entry.at)}
              {entry.actor ? ` · by ${entry.actor}` : ""}
              {entry.process ? ` · ${entry.process.kind} process ${entry.process.pid} on ${entry.process.host}` : ""}
            </Text>
            {entry.note && (
              <Text size="xsmall" className="break-words" data-testid="timeline-note">
                “{entry.note}”
              </Text>
            )}
            {entry.error && (
              <Text size="xsmall" className="text-ui-fg-error break-words">
                {entry.error}
              </Text>
            )}
            {entry.outcome && (
              <pre className="txt-compact-xsmall text-ui-fg-subtle mt-1 whitespace-pre-wrap break-all font-mono">
                {formatJson(entry.outcome)}
              </pre>
            )}
          </div>
        </li>
      ))}
    </ol>
  )
}
