import { Alert, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { paymentDifferences, medusaPaymentStatus } from "../lib/compare-payment"
import { formatAge, formatAmount, formatProvider, formatTime } from "../lib/format"
import type { OrderPaymentComparison } from "../../types/admin-api"

/** One row of the comparison: a label, Medusa's value and the PSP's. */
function Row({ label, medusa, psp, differs }: { label: string; medusa: string; psp: string; differs?: boolean }) {
  const testId = `payment-${label.toLowerCase()}`
  return (
    <div className="grid grid-cols-3 gap-x-2">
      <Text size="xsmall" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="xsmall" data-testid={testId}>
        {medusa}
      </Text>
      <Text size="xsmall" data-testid={testId} className={differs ? "text-ui-fg-error font-medium" : undefined}>
        {psp}
      </Text>
    </div>
  )
}

/** How often the PSP figures' age is redrawn while the order page stays open. */
const AGE_TICK_MS = 5_000

/** The time now, redrawn every `everyMs`: an age shown on a page left open keeps counting. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}

/** A payment as Medusa holds it next to the PSP's view (status, amount, captured, refunded), with a warning when they differ. */
export function PaymentComparison({ payment }: { payment: OrderPaymentComparison }) {
  const differences = paymentDifferences(payment)
  const money = (value: number) => formatAmount(value, payment.currency_code)
  const psp = payment.psp
  const now = useNow(AGE_TICK_MS)
  return (
    <div
      className="flex flex-col gap-y-1"
      data-testid="order-payment-comparison"
      data-payment-id={payment.payment_id}
      data-psp-status={psp?.status ?? ""}
      data-differs={differences.length ? "true" : "false"}
    >
      <Text size="small" weight="plus">
        {formatProvider(payment.provider_id.replace(/^pp_/, ""))} · {payment.payment_id}
      </Text>
      <div className="grid grid-cols-3 gap-x-2">
        <span />
        <Text size="xsmall" weight="plus">
          Medusa
        </Text>
        <Text size="xsmall" weight="plus">
          PSP
        </Text>
      </div>
      <Row label="Status" medusa={medusaPaymentStatus(payment.medusa)} psp={psp?.status ?? "-"} />
      <Row
        label="Amount"
        medusa={money(payment.medusa.amount)}
        psp={psp ? money(psp.amount) : "-"}
        differs={differences.includes("amount")}
      />
      <Row
        label="Captured"
        medusa={money(payment.medusa.captured)}
        psp={psp ? money(psp.captured) : "-"}
        differs={differences.includes("captured")}
      />
      <Row
        label="Refunded"
        medusa={money(payment.medusa.refunded)}
        psp={psp ? money(psp.refunded) : "-"}
        differs={differences.includes("refunded")}
      />
      {psp && payment.psp_read_at && (
        // The server reuses a PSP's answer for a while: say how old the PSP's figures are.
        <Text size="xsmall" className="text-ui-fg-subtle" data-testid="payment-psp-read-at" title={formatTime(payment.psp_read_at)}>
          PSP figures as of {formatAge(payment.psp_read_at, now)}
        </Text>
      )}
      {payment.psp_error && (
        <Text size="xsmall" className="text-ui-fg-subtle">
          The PSP could not be asked: {payment.psp_error}
        </Text>
      )}
      {differences.length > 0 && (
        <Alert variant="warning" className="mt-1" data-testid="order-payment-mismatch">
          Medusa and the PSP disagree on {differences.join(", ")}. Check the payment at the PSP before acting on the order.
        </Alert>
      )}
    </div>
  )
}
