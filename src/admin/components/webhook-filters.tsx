import { Button, Input, Select } from "@medusajs/ui"
import { useEffect, useState } from "react"
import type { PaymentWebhookStatus } from "../../types/admin-api"
import { formatProvider } from "../lib/format"

/** The filters a person sets on the page (all optional; empty means "any"). */
export type FilterValues = { provider: string; status: string; received_from: string; q: string; needs_attention: boolean }

type Props = {
  values: FilterValues
  onChange: (change: Partial<FilterValues>) => void
  /** The provider keys the inbox serves, as the summary lists them. */
  providers: readonly string[]
}

// Radix's Select has no empty value: "all" stands for no filter.
const ALL = "all"

/** The statuses, in the order the filter offers them. */
const STATUSES: readonly PaymentWebhookStatus[] = ["received", "processed", "ignored", "failed"]

/** Provider, status and date filters and the search box (session, order, PSP event id, PaymentIntent or checkout id). */
export function WebhookFilters({ values, onChange, providers }: Props) {
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
      <FilterSelect
        value={values.provider}
        onChange={(provider) => onChange({ provider })}
        options={providers.map((key) => ({ value: key, label: formatProvider(key) }))}
        anyLabel="All providers"
        placeholder="Provider"
        testId="payment-webhooks-provider-filter"
      />
      <FilterSelect
        value={values.status}
        onChange={(status) => onChange({ status })}
        options={STATUSES.map((status) => ({ value: status, label: status }))}
        anyLabel="All statuses"
        placeholder="Status"
        testId="payment-webhooks-status-filter"
      />
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

type FilterSelectProps = {
  value: string
  onChange: (value: string) => void
  options: Array<{ value: string; label: string }>
  anyLabel: string
  placeholder: string
  testId: string
}

/** One select of the filter bar; its first item, `anyLabel`, clears the filter (an empty value). */
function FilterSelect({ value, onChange, options, anyLabel, placeholder, testId }: FilterSelectProps) {
  return (
    <div className="w-[160px]">
      <Select size="small" value={value || ALL} onValueChange={(picked) => onChange(picked === ALL ? "" : picked)}>
        <Select.Trigger data-testid={testId}>
          <Select.Value placeholder={placeholder} />
        </Select.Trigger>
        <Select.Content>
          <Select.Item value={ALL}>{anyLabel}</Select.Item>
          {options.map((option) => (
            <Select.Item key={option.value} value={option.value}>
              {option.label}
            </Select.Item>
          ))}
        </Select.Content>
      </Select>
    </div>
  )
}
