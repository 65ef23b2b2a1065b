import { Badge, Table, Text, clx } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { formatProvider, formatTime } from "../lib/format"
import type { PaymentWebhookRow } from "../../types/admin-api"
import { WebhookStatusBadge } from "./webhook-status-badge"

type Props = {
  rows: PaymentWebhookRow[]
  onOpen: (row: PaymentWebhookRow) => void
}

/** The deliveries, newest first; a row that needs a person's attention is tinted and marked. */
export function WebhookTable({ rows, onOpen }: Props) {
  return (
    // Scrolls sideways on a narrow screen rather than cutting the last columns off.
    <div className="overflow-x-auto">
      <Table data-testid="payment-webhooks-table">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Provider</Table.HeaderCell>
            <Table.HeaderCell>Event</Table.HeaderCell>
            <Table.HeaderCell>Session / order</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Attempts</Table.HeaderCell>
            <Table.HeaderCell>Received</Table.HeaderCell>
            <Table.HeaderCell>Settled</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {rows.map((row) => (
            <Table.Row
              key={row.id}
              data-testid="payment-webhook-row"
              data-id={row.id}
              data-session-id={row.session_id ?? ""}
              data-needs-attention={row.needs_attention ? "true" : "false"}
              className={clx(
                "cursor-pointer focus-visible:shadow-borders-focus focus-visible:outline-none",
                row.needs_attention && "bg-ui-tag-red-bg hover:bg-ui-tag-red-bg-hover",
              )}
              // Reachable with Tab and opened with Enter or Space, as with a click.
              tabIndex={0}
              aria-label={`Open the ${row.event_type ?? "delivery"} of ${formatProvider(row.provider_id)} received ${formatTime(row.received_at)}`}
              onClick={() => onOpen(row)}
              onKeyDown={(event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault()
                  onOpen(row)
                }
              }}
            >
              <Table.Cell className="whitespace-nowrap">
                <div className="flex flex-col">
                  <Text size="small" leading="compact">
                    {formatProvider(row.provider_id)}
                  </Text>
                  {row.from_other_package && (
                    <Text size="xsmall" className="text-ui-fg-subtle" data-testid="payment-webhook-other-package">
                      another package
                    </Text>
                  )}
                </div>
              </Table.Cell>
              <Table.Cell>
                <div className="flex flex-col">
                  <Text size="small" leading="compact" className="font-mono">
                    {row.event_type ?? "-"}
                  </Text>
                  {row.source === "reconciliation" && (
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      found by reconciliation
                    </Text>
                  )}
                  {!row.verified && (
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      {row.status === "received" ? "awaiting its provider's verification" : "failed its provider's verification"}
                    </Text>
                  )}
                </div>
              </Table.Cell>
              <Table.Cell>
                <div className="flex flex-col">
                  <Text size="small" leading="compact" className="font-mono">
                    {row.session_id ?? "-"}
                  </Text>
                  {row.order_id && (
                    <Link
                      to={`/orders/${row.order_id}`}
                      className="text-ui-fg-interactive txt-compact-small hover:text-ui-fg-interactive-hover"
                      onClick={(event) => event.stopPropagation()}
                      data-testid="payment-webhook-order-link"
                    >
                      {row.order_id}
                    </Link>
                  )}
                </div>
              </Table.Cell>
              <Table.Cell>
                <div className="flex items-center gap-x-1 whitespace-nowrap">
                  <WebhookStatusBadge status={row.status} />
                  {row.needs_attention && (
                    <Badge size="2xsmall" color="red">
                      needs attention
                    </Badge>
                  )}
                </div>
              </Table.Cell>
              <Table.Cell className="text-right">{row.attempts}</Table.Cell>
              <Table.Cell className="whitespace-nowrap">{formatTime(row.received_at, { seconds: false })}</Table.Cell>
              <Table.Cell className="whitespace-nowrap">{formatTime(row.processed_at, { seconds: false })}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
