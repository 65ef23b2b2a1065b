/**
 * An open-loop load at an even rate: request `i` leaves at `start + i / rate` whatever became of the
 * ones before it, over at most `connections` keep-alive sockets (a request that finds them all busy
 * waits for one, and that wait counts in its latency). Written here because autocannon's rate is a
 * quota per connection per second: each connection sends flat out until it has used its second's
 * share and then idles, so "half the capacity" is a burst at full capacity half the time.
 */
import { Agent, request } from "node:http"
import type { SignedDelivery } from "./stripe-bodies"

/**
 * One paced run, by request in the order they were due: its status (0 for a socket error or a
 * timeout) and latency (ms, from when it was due to leave; NaN without an answer); and when the
 * first was due and the last answer came.
 */
export type PacedRun = { statuses: number[]; latencies: number[]; startedAt: number; lastAnsweredAt: number }

/** POSTs `deliveries` to `url` at `rate` a second, evenly spaced, over `connections` sockets. */
export async function sendPaced(
  url: string,
  deliveries: readonly SignedDelivery[],
  rate: number,
  connections: number,
  timeoutSeconds: number,
): Promise<PacedRun> {
  const target = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  const statuses = new Array<number>(deliveries.length).fill(0)
  const latencies = new Array<number>(deliveries.length).fill(Number.NaN)
  let lastAnsweredAt = 0
  const startedAt = performance.now()
  const interval = 1000 / rate
  const answers: Array<Promise<void>> = []
  const send = (index: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const { body, headers } = deliveries[index]
      const outgoing = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
          timeout: timeoutSeconds * 1000,
        },
        (response) => {
          response.resume()
          response.on("end", () => {
            lastAnsweredAt = performance.now()
            statuses[index] = response.statusCode ?? 0
            latencies[index] = lastAnsweredAt - dueAt
            resolve()
          })
        },
      )
      outgoing.on("timeout", () => outgoing.destroy(new Error("timeout")))
      outgoing.on("error", () => resolve())
      outgoing.end(body)
    })
  let next = 0
  await new Promise<void>((resolve) => {
    // A 1 ms tick sends every request that has come due: timers drift, the schedule does not.
    const tick = setInterval(() => {
      const now = performance.now()
      while (next < deliveries.length && startedAt + next * interval <= now) {
        answers.push(send(next, startedAt + next * interval))
        next++
      }
      if (next >= deliveries.length) {
        clearInterval(tick)
        resolve()
      }
    }, 1)
  })
  await Promise.all(answers)
  agent.destroy()
  return { statuses, latencies, startedAt, lastAnsweredAt }
}
