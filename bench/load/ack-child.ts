/**
 * Load child of the ack benchmark: pre-signs distinct Stripe deliveries, then POSTs them with
 * autocannon (keep-alive connections, one request in flight per connection) to one webhook URL.
 * The first `warmup` answers warm the server and open every connection (a connection's first
 * request also waits for the server to accept it); throughput and latency are measured on the
 * `amount` that follow. Every non-2xx or socket error of the whole run is reported.
 */
import autocannon from "autocannon"
import { serveOneJob } from "../lib/child"
import { summarize, type LatencySummary } from "../lib/stats"
import { sendPaced } from "./paced"
import { signedDeliveries, type EventTemplate } from "./stripe-bodies"

/** What the orchestrator asks for. */
export type AckJob = {
  url: string
  connections: number
  /** Requests sent first, on the same connections, and left out of the figures. */
  warmup: number
  /** Requests measured. */
  amount: number
  templates: EventTemplate[]
  idPrefix: string
  secret: string
  timeoutSeconds: number
  /** Each delivery names a payment session `<sessionPrefix><i>` of its own (one the store does not have). */
  sessionPrefix?: string
  /** Requests per second, evenly spaced, over the connections (see `sendPaced`); absent, each connection sends as fast as it is answered. */
  rate?: number
}

/** What one run measured. */
export type AckRunResult = {
  /** Requests measured (after the warm-up). */
  requests: number
  warmupRequests: number
  ok2xx: number
  non2xx: number
  errors: number
  timeouts: number
  statusCounts: Record<string, number>
  durationMs: number
  throughput: number
  latency: LatencySummary
  /** Every measured latency (ms), for merging interleaved rounds; dropped before results are written. */
  latencies: number[]
}

/** The figures of a run from what it measured. */
function resultOf(
  job: AckJob,
  latencies: number[],
  statusCounts: Record<string, number>,
  failures: { non2xx: number; errors: number; timeouts: number },
  durationMs: number,
): AckRunResult {
  const ok2xx = Object.entries(statusCounts).reduce((sum, [code, count]) => (code.startsWith("2") ? sum + count : sum), 0)
  return {
    requests: latencies.length,
    warmupRequests: job.warmup,
    ok2xx,
    ...failures,
    statusCounts,
    durationMs,
    throughput: (latencies.length / durationMs) * 1000,
    latency: summarize(latencies),
    latencies,
  }
}

/** A run at an even rate: the first `warmup` requests (by when they were due) are left out of the figures. */
async function runPacedAck(job: AckJob & { rate: number }): Promise<AckRunResult> {
  const deliveries = signedDeliveries(job.templates, job.idPrefix, job.warmup + job.amount, job.secret, job.sessionPrefix)
  const run = await sendPaced(job.url, deliveries, job.rate, job.connections, job.timeoutSeconds)
  const statusCounts: Record<string, number> = {}
  for (const status of run.statuses) {
    statusCounts[status] = (statusCounts[status] ?? 0) + 1
  }
  const measured = run.latencies.slice(job.warmup).filter((latency) => !Number.isNaN(latency))
  const errors = statusCounts[0] ?? 0
  const non2xx = run.statuses.filter((status) => status !== 0 && (status < 200 || status >= 300)).length
  const durationMs = run.lastAnsweredAt - (run.startedAt + (job.warmup * 1000) / job.rate)
  return resultOf(job, measured, statusCounts, { non2xx, errors, timeouts: 0 }, durationMs)
}

async function runAck(job: AckJob): Promise<AckRunResult> {
  if (job.rate) {
    return runPacedAck({ ...job, rate: job.rate })
  }
  // Every connection builds one request ahead of what it sends: sign a few more than it will send.
  const total = job.warmup + job.amount
  const deliveries = signedDeliveries(job.templates, job.idPrefix, total + 2 * job.connections, job.secret, job.sessionPrefix)
  let next = 0
  let answered = 0
  let measuredFrom = 0
  let lastAnsweredAt = 0
  const latencies: number[] = []
  const statusCounts: Record<string, number> = {}
  const target = new URL(job.url)
  const options: autocannon.Options = {
    url: target.origin,
    connections: job.connections,
    pipelining: 1,
    amount: total,
    timeout: job.timeoutSeconds,
    requests: [
      {
        method: "POST",
        path: target.pathname,
        setupRequest: (request) => {
          const delivery = deliveries[Math.min(next++, deliveries.length - 1)]
          return { ...request, body: delivery.body, headers: delivery.headers }
        },
      },
    ],
  }
  const started = performance.now()
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)))
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1
      lastAnsweredAt = performance.now()
      if (++answered === job.warmup) {
        measuredFrom = performance.now()
      } else if (answered > job.warmup) {
        latencies.push(responseTime)
      }
    })
  })
  const result = await done
  // Timed to the last answer, not to autocannon's callback: autocannon notices that its clients are
  // done only on its next one-second tick, so its end time rounds a run up to a whole second after
  // its start, a third of a slice or more that no request used.
  const durationMs = lastAnsweredAt - (job.warmup > 0 ? measuredFrom : started)
  return resultOf(job, latencies, statusCounts, { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }, durationMs)
}

serveOneJob(runAck)
