/**
 * Load child of the webhooks-to-orders benchmark: POSTs a list of Stripe event bodies, in order,
 * with `concurrency` requests in flight (undici, Node's fetch), each signed just before it is sent
 * as Stripe signs every attempt. Reports each answer's status and what the store said.
 */
import { serveOneJob } from "../lib/child"
import { summarize, type LatencySummary } from "../lib/stats"
import { signDelivery } from "./stripe-bodies"

/** What the orchestrator asks for. */
export type BurstJob = {
  /** Where to send; with several, payload i goes to urls[i % length] (a load balancer's round robin). */
  urls: string[]
  secret: string
  payloads: string[]
  concurrency: number
  timeoutMs: number
}

/** What the burst got back. */
export type BurstResult = {
  sent: number
  statusCounts: Record<string, number>
  /** Answers of the plugin's edge that said `duplicate: true`. */
  duplicates: number
  errors: number
  durationMs: number
  latency: LatencySummary
  /** When each payload was sent (epoch ms, the clock PostgreSQL's `now()` shares on this machine), by index. */
  sentAt: number[]
}

async function runBurst(job: BurstJob): Promise<BurstResult> {
  const statusCounts: Record<string, number> = {}
  const latencies: number[] = []
  let duplicates = 0
  let errors = 0
  let next = 0
  const sentAt: number[] = new Array(job.payloads.length).fill(0)
  const started = performance.now()
  const worker = async () => {
    for (let index = next++; index < job.payloads.length; index = next++) {
      const { body, headers } = signDelivery(job.payloads[index], job.secret)
      sentAt[index] = Date.now()
      const sentTick = performance.now()
      try {
        const response = await fetch(job.urls[index % job.urls.length], {
          method: "POST",
          body,
          headers,
          signal: AbortSignal.timeout(job.timeoutMs),
        })
        const text = await response.text()
        latencies.push(performance.now() - sentTick)
        statusCounts[response.status] = (statusCounts[response.status] ?? 0) + 1
        if (text.includes('"duplicate":true')) {
          duplicates++
        }
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, worker))
  return {
    sent: job.payloads.length,
    statusCounts,
    duplicates,
    errors,
    durationMs: performance.now() - started,
    latency: summarize(latencies),
    sentAt,
  }
}

serveOneJob(runBurst)
