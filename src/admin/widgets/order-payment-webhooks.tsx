import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { Link } from "react-router-dom"
import { PaymentComparison } from "../components/payment-comparison"
import { WebhookStatusBadge } from "../components/webhook-status-badge"
import { paymentWebhookKeys, paymentWebhooksApi } from "../lib/api"
import { errorMessage, formatTime } from "../lib/format"

/** How many of the order's events the widget lists; the page shows them all. */
const SHOWN = 6

/** How long the order's view (the PSP's side included) is fresh: a PSP is not asked again within it. */
const ORDER_VIEW_STALE_MS = 60_000

/**
 * On the order page: the order's payment events with their status, and each payment as the PSP sees
 * it next to Medusa's view, with a link to the "Payment webhooks" page filtered on the order.
 */
const OrderPaymentWebhooksWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const view = useQuery({
    queryKey: paymentWebhookKeys.order(order.id),
    queryFn: () => paymentWebhooksApi.ofOrder(order.id),
    // Each fetch asks the PSP for every payment of the order: not on every focus of the window, and
    // not again within a minute (a replay from the page still refreshes it: it invalidates these keys).
    staleTime: ORDER_VIEW_STALE_MS,
    refetchOnWindowFocus: false,
  })
  const events = view.data?.payment_webhooks ?? []
  return (
    <Container className="divide-y p-0" data-testid="order-payment-webhooks-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Payment webhooks</Heading>
        <Link
          to={`/payment-webhooks?order_id=${encodeURIComponent(order.id)}`}
          className="text-ui-fg-interactive txt-compact-small"
          data-testid="order-payment-webhooks-link"
        >
          View all
        </Link>
      </div>
      {view.isError && (
        <Text size="small" className="text-ui-fg-error px-6 py-4">
          Could not load: {errorMessage(view.error)}
        </Text>
      )}
      {view.isLoading && (
        <Text size="small" className="text-ui-fg-subtle px-6 py-4">
          Loading…
        </Text>
      )}
      {view.data && (
        <>
          <div className="flex flex-col gap-y-2 px-6 py-4">
            {events.length === 0 && (
              <Text size="small" className="text-ui-fg-subtle">
                No payment event recorded for this order.
              </Text>
            )}
            {events.slice(0, SHOWN).map((event) => (
              <div
                key={event.id}
                className="flex items-center justify-between gap-x-2"
                data-testid="order-payment-webhook"
                data-id={event.id}
              >
                <div className="flex min-w-0 flex-col">
                  <Text size="xsmall" className="truncate font-mono">
                    {event.event_type ?? "-"}
                  </Text>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    {formatTime(event.received_at)}
                  </Text>
                </div>
                <WebhookStatusBadge status={event.status} />
              </div>
            ))}
            {events.length > SHOWN && (
              <Text size="xsmall" className="text-ui-fg-subtle">
                and {events.length - SHOWN} more
              </Text>
            )}
          </div>
          {view.data.payments.map((payment) => (
            <div key={payment.payment_id} className="px-6 py-4">
              <PaymentComparison payment={payment} />
            </div>
          ))}
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side",
})

export default OrderPaymentWebhooksWidget
