import { Button, Input, Label, Prompt, Text, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { paymentWebhookKeys, paymentWebhooksApi } from "../lib/api"
import { errorMessage, formatTime } from "../lib/format"
import type { BulkReplayDone, BulkReplayDryRun } from "../../types/admin-api"

type Step =
  | { kind: "pick" }
  | { kind: "confirm"; since: string; count: number; dryRun: BulkReplayDryRun }
  | { kind: "done"; since: string; result: BulkReplayDone; total: number }

/** `datetime-local` wants local "YYYY-MM-DDTHH:mm": a day ago, as the default. */
function aDayAgo(): string {
  const date = new Date(Date.now() - 24 * 3600_000)
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset())
  return date.toISOString().slice(0, 16)
}

/** What a bulk replay did, in one line (e.g. "processed 3, failed 1"). */
function describeResults(result: BulkReplayDone): string {
  const parts = Object.entries(result.results)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
  if (result.not_replayable) {
    parts.push(`not replayable ${result.not_replayable}`)
  }
  if (result.remaining) {
    parts.push(`${result.remaining} left for the next batch`)
  }
  return parts.length ? parts.join(", ") : "nothing to do"
}

/**
 * "Replay failed since…": first asks the API how many failed deliveries it would touch (a dry run),
 * shows that count and asks to confirm, then replays them through the processor and shows what happened.
 */
export function BulkReplay({ provider }: { provider?: string }) {
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [since, setSince] = useState(aDayAgo)
  const [step, setStep] = useState<Step>({ kind: "pick" })

  const dryRun = useMutation({
    mutationFn: (sinceIso: string) => paymentWebhooksApi.bulkReplay({ since: sinceIso, status: "failed", provider, dry_run: true }),
    onSuccess: (result, sinceIso) => {
      if (result.dry_run) {
        setStep({ kind: "confirm", since: sinceIso, count: result.count, dryRun: result })
      }
    },
    onError: (error) => toast.error(`Could not count the failed deliveries: ${errorMessage(error)}`),
  })
  const run = useMutation({
    mutationFn: ({ since: sinceIso, after }: { since: string; after?: string }) =>
      paymentWebhooksApi.bulkReplay({ since: sinceIso, status: "failed", provider, after }),
    onSuccess: (result, { since: sinceIso }) => {
      if (!result.dry_run) {
        // One call replays a batch (the API takes at most 100): "Replay the next" runs the following one.
        setStep((previous) => ({
          kind: "done",
          since: sinceIso,
          result,
          total: (previous.kind === "done" ? previous.total : 0) + result.count,
        }))
        toast.success(`Replayed ${result.count} deliveries: ${describeResults(result)}`)
      }
    },
    onError: (error) => toast.error(`Bulk replay failed: ${errorMessage(error)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: paymentWebhookKeys.all }),
  })

  const openPrompt = (next: boolean) => {
    setOpen(next)
    if (next) {
      setStep({ kind: "pick" })
    }
  }
  const sinceIso = since ? new Date(since).toISOString() : ""

  return (
    <Prompt open={open} onOpenChange={openPrompt} variant="confirmation">
      <Prompt.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="bulk-replay-open">
          Replay failed since…
        </Button>
      </Prompt.Trigger>
      <Prompt.Content data-testid="bulk-replay-dialog">
        <Prompt.Header>
          <Prompt.Title>Replay failed deliveries</Prompt.Title>
          <Prompt.Description asChild>
            <div className="flex flex-col gap-y-3">
              {step.kind === "pick" && (
                <>
                  <Text size="small">
                    Every failed delivery received since this time{provider ? ` from ${provider}` : ""} runs again through the processor,
                    which never pays or places an order twice.
                  </Text>
                  <div className="flex flex-col gap-y-1">
                    <Label size="small" htmlFor="bulk-replay-since">
                      Received since
                    </Label>
                    <Input
                      id="bulk-replay-since"
                      type="datetime-local"
                      size="small"
                      value={since}
                      onChange={(event) => setSince(event.target.value)}
                      data-testid="bulk-replay-since"
                    />
                  </div>
                </>
              )}
              {step.kind === "confirm" && (
                <Text size="small" data-testid="bulk-replay-count" data-count={step.count}>
                  {step.count === 0
                    ? `No failed delivery since ${formatTime(step.since)}.`
                    : `${step.count} failed ${step.count === 1 ? "delivery" : "deliveries"} since ${formatTime(step.since)} will be replayed.`}
                  {step.dryRun.not_replayable
                    ? ` ${step.dryRun.not_replayable} of them no longer keep their body and will be left as they are.`
                    : ""}
                  {step.dryRun.remaining ? ` ${step.dryRun.remaining} more match: run it again afterwards.` : ""}
                </Text>
              )}
              {step.kind === "done" && (
                <Text size="small" data-testid="bulk-replay-result" data-remaining={step.result.remaining}>
                  Replayed {step.result.count}: {describeResults(step.result)}.
                  {step.total > step.result.count ? ` ${step.total} in all so far.` : ""}
                </Text>
              )}
            </div>
          </Prompt.Description>
        </Prompt.Header>
        <Prompt.Footer>
          <Prompt.Cancel>{step.kind === "done" ? "Close" : "Cancel"}</Prompt.Cancel>
          {step.kind === "pick" && (
            <Button
              size="small"
              disabled={!sinceIso}
              isLoading={dryRun.isPending}
              onClick={() => dryRun.mutate(sinceIso)}
              data-testid="bulk-replay-count-button"
            >
              Count
            </Button>
          )}
          {step.kind === "confirm" && (
            <Button
              size="small"
              disabled={step.count === 0}
              isLoading={run.isPending}
              onClick={() => run.mutate({ since: step.since })}
              data-testid="bulk-replay-confirm"
            >
              Replay {step.count}
            </Button>
          )}
          {step.kind === "done" && !!step.result.remaining && !!step.result.next_after && (
            <Button
              size="small"
              isLoading={run.isPending}
              onClick={() => run.mutate({ since: step.since, after: step.result.next_after ?? undefined })}
              data-testid="bulk-replay-continue"
            >
              Replay the next {Math.min(step.result.remaining, step.result.count)}
            </Button>
          )}
        </Prompt.Footer>
      </Prompt.Content>
    </Prompt>
  )
}
