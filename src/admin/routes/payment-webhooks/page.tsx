import { defineRouteConfig } from "@medusajs/admin-sdk"
import { BoltSolid } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { useCallback, useMemo, useState } from "react"
import { useSearchParams } from "react-router-dom"
import { AttentionSummary } from "../../components/attention-summary"
import { BulkReplay } from "../../components/bulk-replay"
import { WebhookDrawer } from "../../components/webhook-drawer"
import { type FilterValues, WebhookFilters } from "../../components/webhook-filters"
import { WebhookTable } from "../../components/webhook-table"
import { type PaymentWebhookFilters, paymentWebhookKeys, paymentWebhooksApi } from "../../lib/api"
import { errorMessage } from "../../lib/format"
import type { PaymentWebhookRow } from "../../../types/admin-api"

const PAGE_SIZE = 20

/** Start of the picked day in the viewer's time zone, as the API's ISO timestamp. */
function startOfDay(day: string): string | undefined {
  const date = new Date(`${day}T00:00:00`)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/**
 * The "Payment webhooks" page: every delivery the store recorded, newest first, with filters and a
 * search; a drawer shows one in full and replays it; "Replay failed since…" replays many. The URL's
 * search params hold the filters, so the order widget links here filtered on its order (`?order_id=`).
 */
const PaymentWebhooksPage = () => {
  const [params, setParams] = useSearchParams()
  const [open, setOpen] = useState<PaymentWebhookRow | null>(null)

  const values: FilterValues = {
    provider: params.get("provider") ?? "",
    status: params.get("status") ?? "",
    received_from: params.get("received_from") ?? "",
    q: params.get("q") ?? "",
    needs_attention: params.get("needs_attention") === "true",
  }
  const orderId = params.get("order_id") ?? ""
  const offset = Math.max(0, Number(params.get("offset")) || 0)

  const filters: PaymentWebhookFilters = useMemo(
    () => ({
      provider: values.provider || undefined,
      status: values.status || undefined,
      q: values.q || undefined,
      order_id: orderId || undefined,
      received_from: values.received_from ? startOfDay(values.received_from) : undefined,
      needs_attention: values.needs_attention || undefined,
      limit: PAGE_SIZE,
      offset,
    }),
    [values.provider, values.status, values.q, orderId, values.received_from, values.needs_attention, offset],
  )

  const list = useQuery({
    queryKey: paymentWebhookKeys.list(filters),
    queryFn: () => paymentWebhooksApi.list(filters),
    placeholderData: keepPreviousData,
  })
  const summary = useQuery({ queryKey: paymentWebhookKeys.summary(), queryFn: paymentWebhooksApi.summary, refetchInterval: 30_000 })

  /** Applies filter changes to the URL (a new filter starts again on the first page). */
  const update = useCallback(
    (change: Partial<FilterValues & { order_id: string; offset: number }>) => {
      setParams((previous) => {
        const next = new URLSearchParams(previous)
        for (const [key, value] of Object.entries(change)) {
          if (value === "" || value === false || value === 0 || value === undefined) {
            next.delete(key)
          } else {
            next.set(key, String(value))
          }
        }
        if (!("offset" in change)) {
          next.delete("offset")
        }
        return next
      })
    },
    [setParams],
  )

  const count = list.data?.count ?? 0
  const pageIndex = Math.floor(offset / PAGE_SIZE)
  const pageCount = Math.max(1, Math.ceil(count / PAGE_SIZE))
  return (
    <Container className="divide-y p-0" data-testid="payment-webhooks-page">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">Payment webhooks</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Every payment event your PSPs sent, what the store made of it, and what is left to fix.
          </Text>
        </div>
        <BulkReplay provider={values.provider || undefined} />
      </div>
      <AttentionSummary
        summary={summary.data}
        showingAttention={values.needs_attention}
        onShowAttention={(on) => update({ needs_attention: on })}
      />
      <WebhookFilters values={values} onChange={update} providers={summary.data?.providers ?? []} />
      {orderId && (
        <div className="flex items-center gap-x-2 px-6 py-2" data-testid="payment-webhooks-order-filter">
          <Text size="small">Payment events of order</Text>
          <Badge size="2xsmall">{orderId}</Badge>
          <Button size="small" variant="transparent" onClick={() => update({ order_id: "" })}>
            Show every order
          </Button>
        </div>
      )}
      {list.isError ? (
        <Text className="text-ui-fg-error px-6 py-4">Could not load the deliveries: {errorMessage(list.error)}</Text>
      ) : list.isLoading ? (
        <Text className="text-ui-fg-subtle px-6 py-4">Loading…</Text>
      ) : count === 0 ? (
        <Text className="text-ui-fg-subtle px-6 py-4" data-testid="payment-webhooks-empty">
          No payment event matches.
        </Text>
      ) : (
        <>
          <WebhookTable rows={list.data?.payment_webhooks ?? []} onOpen={setOpen} />
          <Table.Pagination
            count={count}
            pageSize={PAGE_SIZE}
            pageIndex={pageIndex}
            pageCount={pageCount}
            canPreviousPage={pageIndex > 0}
            canNextPage={pageIndex + 1 < pageCount}
            previousPage={() => update({ offset: Math.max(0, offset - PAGE_SIZE) })}
            nextPage={() => update({ offset: offset + PAGE_SIZE })}
          />
          {list.data?.count_capped && (
            <Text size="small" className="text-ui-fg-subtle px-6 py-2" data-testid="payment-webhooks-count-capped">
              More than {count.toLocaleString()} match: narrow the filters (dates, status, provider) to reach older deliveries.
            </Text>
          )}
        </>
      )}
      <WebhookDrawer row={open} onClose={() => setOpen(null)} />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Payment webhooks",
  icon: BoltSolid,
})

export default PaymentWebhooksPage
