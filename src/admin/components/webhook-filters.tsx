import { Button, Input, Select } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { PAYMENT_WEBHOOK_STATUSES } from "../lib/types"

/** The filters a person sets on the page (all optional; empty means "any"). */
export type FilterValues = { provider: string; status: string; received_from: string; q: string; needs_attention: boolean }

type Props = {
  values: FilterValues
  onChange: (change: Partial<FilterValues>) => void
}

// Radix's Select has no empty value: "all" stands for no filter.
const ALL = "all"

/** Provider, status and date filters and the search box (session, order, PSP event id, PaymentIntent or checkout id). */
export function WebhookFilters({ values, onChange }: Props) {
  // The search is applied on Enter or after a pause, not on every key.
  const [q, setQ] = useState(values.q)
  useEffect(() => setQ(values.q), [values.q])
  useEffect(() => {
    if (q === values.q) {
      return
    }
    const timer = setTimeout(() => onChange({ q }), 400)
    return () => clearTimeout(timer)
  }, [q, values.q, onChange])

  const hasFilters = !!(values.provider || values.status || values.received_from || values.q || values.needs_attention)
  return (
    <div className="flex flex-wrap items-center gap-2 px-6 py-4" data-testid="payment-webhooks-filters">
      <div className="w-full max-w-[320px]">
        <Input
          type="search"
          size="small"
          placeholder="Search session, order, event or payment id"
          value={q}
          onChange={(event) => setQ(event.target.value)}
          onKeyDown={(event) => event.key === "Enter" && onChange({ q })}
          data-testid="payment-webhooks-search"
        />
      </div>
      <div className="w-[160px]">
        <Select size="small" value={values.provider || ALL} onValueChange={(value) => onChange({ provider: value === ALL ? "" : value })}>
          <Select.Trigger data-testid="payment-webhooks-provider-filter">
            <Select.Value placeholder="Provider" />
          </Select.Trigger>
          <Select.Content>
            <Select.Item value={ALL}>All providers</Select.Item>
            <Select.Item value="stripe">Stripe</Select.Item>
            <Select.Item value="yoco">Yoco</Select.Item>
          </Select.Content>
        </Select>
      </div>
      <div className="w-[160px]">
        <Select size="small" value={values.status || ALL} onValueChange={(value) => onChange({ status: value === ALL ? "" : value })}>
          <Select.Trigger data-testid="payment-webhooks-status-filter">
            <Select.Value placeholder="Status" />
          </Select.Trigger>
          <Select.Content>
            <Select.Item value={ALL}>All statuses</Select.Item>
            {PAYMENT_WEBHOOK_STATUSES.map((status) => (
              <Select.Item key={status} value={status}>{status}</Select.Item>
            ))}
          </Select.Content>
        </Select>
      </div>
      <div className="w-[170px]">
        <Input
          type="date"
          size="small"
          aria-label="Received from"
          title="Received from"
          value={values.received_from}
          onChange={(event) => onChange({ received_from: event.target.value })}
          data-testid="payment-webhooks-date-filter"
        />
      </div>
      {hasFilters && (
        <Button
          size="small"
          variant="transparent"
          onClick={() => onChange({ provider: "", status: "", received_from: "", q: "", needs_attention: false })}
        >
          Clear filters
        </Button>
      )}
    </div>
  )
}
