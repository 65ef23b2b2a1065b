import { Alert, Badge, Button, Drawer, Heading, Text, Textarea, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState, type ReactNode } from "react"
import { Link } from "react-router-dom"
import { paymentWebhookKeys, paymentWebhooksApi } from "../lib/api"
import { errorMessage, formatAmount, formatJson, formatProvider, formatTime } from "../lib/format"
import type { PaymentWebhookRow } from "../../types/admin-api"
import { WebhookStatusBadge } from "./webhook-status-badge"
import { WebhookTimeline } from "./webhook-timeline"

type Props = {
  /** The delivery to show; the drawer is closed when there is none. */
  row: PaymentWebhookRow | null
  onClose: () => void
}

/** One labelled fact of the delivery. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[140px_1fr] items-start gap-x-3 py-1">
      <Text size="small" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" className="break-all">
        {children}
      </Text>
    </div>
  )
}

/** A titled block of the drawer. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-y-2">
      <Heading level="h3">{title}</Heading>
      {children}
    </section>
  )
}

/**
 * For a delivery that failed or needs attention: a person who dealt with it another way (refunded it at
 * the PSP, made the order by hand) says how, and it is settled: its flag goes, the note stays on its timeline.
 */
function SettleByHand({ id, onSettled }: { id: string; onSettled: () => void }) {
  const [note, setNote] = useState("")
  const settle = useMutation({
    mutationFn: () => paymentWebhooksApi.settle(id, note.trim()),
    onSuccess: () => {
      toast.success("Settled: it no longer needs attention")
      setNote("")
    },
    onError: (error) => toast.error(`Could not settle it: ${errorMessage(error)}`),
    onSettled,
  })
  return (
    <Section title="Settled another way?">
      <Text size="small" className="text-ui-fg-subtle">
        If you dealt with this payment outside the store (refunded it at the PSP, made the order by hand), say how: it stops needing
        attention, keeps your note on its timeline, and is kept for retention like any settled delivery. Nothing is charged or refunded.
      </Text>
      <Textarea
        value={note}
        onChange={(event) => setNote(event.target.value)}
        placeholder="Refunded in the PSP's dashboard on 4 December"
        maxLength={500}
        data-testid="payment-webhook-settle-note"
      />
      <div>
        <Button
          size="small"
          variant="secondary"
          onClick={() => settle.mutate()}
          isLoading={settle.isPending}
          disabled={note.trim().length < 3}
          data-testid="payment-webhook-settle"
        >
          Mark as settled
        </Button>
      </div>
    </Section>
  )
}

/**
 * A delivery in full: its facts, the mapped Medusa event, the last error, the outcome and the
 * timeline; "Replay" runs it again through the processor (safe to repeat). Never the raw body or headers.
 */
export function WebhookDrawer({ row, onClose }: Props) {
  const queryClient = useQueryClient()
  const id = row?.id ?? ""
  const detail = useQuery({ queryKey: paymentWebhookKeys.detail(id), queryFn: () => paymentWebhooksApi.detail(id), enabled: !!row })
  const replay = useMutation({
    mutationFn: () => paymentWebhooksApi.replay(id),
    onSuccess: ({ payment_webhook, result }) => {
      const why = result.reason ? `: ${result.reason}` : ""
      if (payment_webhook.status === "failed") {
        toast.error(`Replayed: ${result.status}${why}`)
      } else {
        toast.success(`Replayed: ${payment_webhook.status}${why}`)
      }
    },
    onError: (error) => toast.error(`Replay failed: ${errorMessage(error)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: paymentWebhookKeys.all }),
  })

  const current = detail.data?.payment_webhook ?? row
  const mapped = detail.data?.mapped
  return (
    <Drawer open={!!row} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="payment-webhook-drawer" className="max-w-[640px]">
        <Drawer.Header>
          <Drawer.Title asChild>
            <Heading>{current?.event_type ?? "Payment event"}</Heading>
          </Drawer.Title>
          <Drawer.Description className="sr-only">A recorded payment webhook delivery</Drawer.Description>
        </Drawer.Header>
        {current && (
          <Drawer.Body className="flex flex-col gap-y-6 overflow-y-auto">
            <div className="flex items-center gap-x-2" data-testid="payment-webhook-drawer-status" data-status={current.status}>
              <WebhookStatusBadge status={current.status} />
              {current.needs_attention && (
                <Badge size="2xsmall" color="red">
                  needs attention
                </Badge>
              )}
              <Text size="small" className="text-ui-fg-subtle">
                {current.attempts} attempt{current.attempts === 1 ? "" : "s"} · delivered {current.deliveries}×
              </Text>
            </div>
            {current.from_other_package && (
              <Alert variant="info" data-testid="payment-webhook-other-package-note">
                This provider comes from another package. Its own check verified this delivery
                {current.verified ? "" : " (or will, for the processor)"}; the inbox recorded it, drops duplicates, retries it until it is
                done and alerts when it fails. The money checks of this plugin's own providers (the PSP's current state, amounts against the
                session, refunds, disputes) do not apply to it.
              </Alert>
            )}
            {current.last_error && (
              <Alert variant={current.status === "failed" ? "error" : "warning"} data-testid="payment-webhook-last-error">
                {current.last_error}
              </Alert>
            )}
            {current.status !== "received" && (current.status === "failed" || current.needs_attention) && (
              <SettleByHand id={current.id} onSettled={() => queryClient.invalidateQueries({ queryKey: paymentWebhookKeys.all })} />
            )}
            <Section title="Timeline">
              {detail.isError ? (
                <Text size="small" className="text-ui-fg-error">
                  Could not load the timeline: {errorMessage(detail.error)}
                </Text>
              ) : (
                <WebhookTimeline entries={detail.data?.timeline ?? []} />
              )}
            </Section>
            <Section title="Delivery">
              <div>
                <Fact label="Provider">{formatProvider(current.provider_id)}</Fact>
                <Fact label="PSP event id">{current.event_id}</Fact>
                <Fact label="Source">{current.source}</Fact>
                <Fact label="Session">{current.session_id ?? "-"}</Fact>
                <Fact label="Order">
                  {current.order_id ? (
                    <Link to={`/orders/${current.order_id}`} className="text-ui-fg-interactive">
                      {current.order_id}
                    </Link>
                  ) : (
                    "-"
                  )}
                </Fact>
                <Fact label="Received">{formatTime(current.received_at)}</Fact>
                <Fact label="Settled">{formatTime(current.processed_at)}</Fact>
                {current.next_attempt_at && current.status === "received" && (
                  <Fact label="Next attempt">{formatTime(current.next_attempt_at)}</Fact>
                )}
                <Fact label="Body SHA-256">{current.body_hash}</Fact>
              </div>
            </Section>
            <Section title="Mapped event">
              <div data-testid="payment-webhook-mapped">
                <Fact label="Action">{mapped?.action ?? current.action ?? "-"}</Fact>
                <Fact label="Amount">{formatAmount(mapped?.amount ?? current.amount, mapped?.currency_code ?? current.currency_code)}</Fact>
                <Fact label="PSP payment">{mapped?.psp_reference ?? current.psp_reference ?? "-"}</Fact>
                <Fact label="Details">
                  <pre className="txt-compact-xsmall whitespace-pre-wrap font-mono">{formatJson(mapped?.details ?? current.details)}</pre>
                </Fact>
              </div>
            </Section>
            <Section title="Outcome">
              <pre
                className="txt-compact-xsmall text-ui-fg-subtle whitespace-pre-wrap break-all font-mono"
                data-testid="payment-webhook-outcome"
              >
                {formatJson(current.outcome)}
              </pre>
            </Section>
          </Drawer.Body>
        )}
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Close
            </Button>
          </Drawer.Close>
          <Button
            size="small"
            onClick={() => replay.mutate()}
            isLoading={replay.isPending}
            disabled={!row}
            data-testid="payment-webhook-replay"
          >
            Replay
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
