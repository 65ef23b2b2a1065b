import { Alert, Text } from "@medusajs/ui"
import { paymentDifferences, medusaPaymentStatus } from "../lib/compare-payment"
import { formatAmount, formatProvider } from "../lib/format"
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

/** A payment as Medusa holds it next to the PSP's view (status, amount, captured, refunded), with a warning when they differ. */
export function PaymentComparison({ payment }: { payment: OrderPaymentComparison }) {
  const differences = paymentDifferences(payment)
  const money = (value: number) => formatAmount(value, payment.currency_code)
  const psp = payment.psp
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
