import { Button, Input, Label, Prompt, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useRef, useState } from "react"
import { paymentWebhookKeys, paymentWebhooksApi } from "../lib/api"
import { errorMessage, formatTime } from "../lib/format"
import type { BulkReplayDryRun, BulkReplayRun } from "../../types/admin-api"
import { describeRun, ReplayRunProgress } from "./replay-run-progress"

type Step =
  { kind: "pick" } | { kind: "confirm"; since: string; count: number; dryRun: BulkReplayDryRun } | { kind: "run"; run: BulkReplayRun }

/** How often a running replay's progress is read. */
const POLL_MS = 1500

/** `datetime-local` wants local "YYYY-MM-DDTHH:mm": a day ago, as the default. */
function aDayAgo(): string {
  const date = new Date(Date.now() - 24 * 3600_000)
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset())
  return date.toISOString().slice(0, 16)
}

/**
 * "Replay failed since…": first asks the API how many failed deliveries it would touch (a dry run),
 * shows that count and asks to confirm, then starts the replay, which runs in the background on the
 * server, and follows its progress (rows taken of the total, what became of them) until it ends.
 */
export function BulkReplay({ provider }: { provider?: string }) {
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [since, setSince] = useState(aDayAgo)
  const [step, setStep] = useState<Step>({ kind: "pick" })

  const runId = step.kind === "run" ? step.run.id : null
  const followed = useQuery({
    queryKey: paymentWebhookKeys.replayRun(runId ?? ""),
    queryFn: () => paymentWebhooksApi.replayRun(runId ?? ""),
    enabled: runId !== null,
    // Polled while it runs; once it has ended, its counts no longer change.
    refetchInterval: (query) => ((query.state.data?.replay_run.status ?? "running") === "running" ? POLL_MS : false),
  })
  const run = step.kind === "run" ? (followed.data?.replay_run ?? step.run) : undefined

  // Once the run ends: the list and the summary show the replayed rows, and a toast says how it went (once per run).
  const told = useRef<string | null>(null)
  useEffect(() => {
    if (!run || run.status === "running" || told.current === run.id) {
      return
    }
    told.current = run.id
    void queryClient.invalidateQueries({ queryKey: paymentWebhookKeys.all })
    const say = run.status === "failed" ? toast.error : toast.success
    say(`Bulk replay ${run.status}: ${describeRun(run)}`)
  }, [run, queryClient])

  const dryRun = useMutation({
    mutationFn: (sinceIso: string) => paymentWebhooksApi.bulkReplay({ since: sinceIso, status: "failed", provider, dry_run: true }),
    onSuccess: (result, sinceIso) => {
      if (result.dry_run) {
        // A real replay takes every row that matches, not only the first batch the dry run looked at.
        setStep({ kind: "confirm", since: sinceIso, count: result.count + result.remaining, dryRun: result })
      }
    },
    onError: (error) => toast.error(`Could not count the failed deliveries: ${errorMessage(error)}`),
  })
  const start = useMutation({
    mutationFn: (sinceIso: string) => paymentWebhooksApi.bulkReplay({ since: sinceIso, status: "failed", provider }),
    onSuccess: (result) => {
      if (!result.dry_run) {
        setStep({ kind: "run", run: result.replay_run })
      }
    },
    // 409 while another replay runs: its message names that run and how far it got.
    onError: (error) => toast.error(`Bulk replay did not start: ${errorMessage(error)}`),
  })
  const cancel = useMutation({
    mutationFn: (id: string) => paymentWebhooksApi.cancelReplayRun(id),
    onSuccess: (answer) => queryClient.setQueryData(paymentWebhookKeys.replayRun(answer.replay_run.id), answer),
    onError: (error) => toast.error(`Could not stop the replay: ${errorMessage(error)}`),
  })

  const openPrompt = (next: boolean) => {
    setOpen(next)
    // Reopened while a replay runs: its progress again, not a new one.
    if (next && run?.status !== "running") {
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
                    : `${step.count} failed ${step.count === 1 ? "delivery" : "deliveries"} since ${formatTime(step.since)} will be replayed in the background.`}
                  {step.dryRun.not_replayable
                    ? ` ${step.dryRun.not_replayable} of the first ${step.dryRun.count} no longer keep their body and will be left as they are.`
                    : ""}
                </Text>
              )}
              {run && <ReplayRunProgress run={run} />}
            </div>
          </Prompt.Description>
        </Prompt.Header>
        <Prompt.Footer>
          <Prompt.Cancel>{step.kind === "pick" || step.kind === "confirm" ? "Cancel" : "Close"}</Prompt.Cancel>
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
              isLoading={start.isPending}
              onClick={() => start.mutate(step.since)}
              data-testid="bulk-replay-confirm"
            >
              Replay {step.count}
            </Button>
          )}
          {run?.status === "running" && (
            <Button
              size="small"
              variant="danger"
              isLoading={cancel.isPending}
              onClick={() => cancel.mutate(run.id)}
              data-testid="bulk-replay-cancel"
            >
              Stop
            </Button>
          )}
        </Prompt.Footer>
      </Prompt.Content>
    </Prompt>
  )
}
