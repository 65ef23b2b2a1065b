import { Button, Text, clx } from "@medusajs/ui"
import { formatTime } from "../lib/format"
import type { PaymentWebhookSummary } from "../../types/admin-api"

type Props = {
  summary: PaymentWebhookSummary | undefined
  /** Shows only the deliveries that need attention (or all again). */
  onShowAttention: (on: boolean) => void
  showingAttention: boolean
}

/** One figure of the summary; a count that reached the summary's cap reads "10,000+". */
function Figure({
  label,
  value,
  cap,
  tone,
  testId,
}: {
  label: string
  value: number | string
  cap?: number
  tone?: "red" | "orange"
  testId: string
}) {
  const shown = typeof value === "number" && cap !== undefined && value >= cap ? `${cap.toLocaleString()}+` : value
  return (
    <div className="flex flex-col" data-testid={testId} data-value={value}>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text
        size="xlarge"
        weight="plus"
        className={clx(tone === "red" && "text-ui-fg-error", tone === "orange" && "text-ui-tag-orange-text")}
      >
        {shown}
      </Text>
    </div>
  )
}

/** The figures a person needs at a glance: payments needing attention, failed and waiting deliveries, the oldest waiting. */
export function AttentionSummary({ summary, onShowAttention, showingAttention }: Props) {
  const attention = summary?.needs_attention ?? 0
  return (
    <div
      className={clx("flex flex-wrap items-center gap-x-8 gap-y-2 border-b px-6 py-4", attention > 0 && "bg-ui-tag-red-bg")}
      data-testid="payment-webhooks-summary"
    >
      <Figure
        label="Need attention"
        value={summary ? attention : "…"}
        tone={attention > 0 ? "red" : undefined}
        cap={summary?.count_cap}
        testId="summary-needs-attention"
      />
      <Figure
        label="Failed"
        value={summary?.counts.failed ?? "…"}
        tone={summary?.counts.failed ? "red" : undefined}
        cap={summary?.count_cap}
        testId="summary-failed"
      />
      <Figure
        label="Waiting"
        value={summary?.counts.received ?? "…"}
        tone={summary?.counts.received ? "orange" : undefined}
        cap={summary?.count_cap}
        testId="summary-received"
      />
      <Figure label="Processed" value={summary?.counts.processed ?? "…"} cap={summary?.count_cap} testId="summary-processed" />
      <div className="flex flex-col">
        <Text size="xsmall" className="text-ui-fg-subtle">
          Oldest waiting since
        </Text>
        <Text size="small">{formatTime(summary?.oldest_unprocessed_at)}</Text>
      </div>
      {attention > 0 && (
        <Button
          size="small"
          variant="secondary"
          className="ml-auto"
          onClick={() => onShowAttention(!showingAttention)}
          data-testid="summary-show-attention"
        >
          {showingAttention ? "Show all" : "Show those needing attention"}
        </Button>
      )}
    </div>
  )
}
