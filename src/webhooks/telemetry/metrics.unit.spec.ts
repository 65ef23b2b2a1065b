import { metrics } from "@opentelemetry/api"
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from "@opentelemetry/sdk-metrics"
import { METER_NAME, MetricNames, noteBacklog, recordAttempt, recordEdgeAnswer, recordReconciliationLookup } from "./metrics"

class OnDemandReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

async function pointsOf(
  reader: MetricReader,
  name: string,
): Promise<Array<{ attributes: Record<string, unknown>; value: number | Histogram }>> {
  const { resourceMetrics } = await reader.collect()
  return resourceMetrics.scopeMetrics
    .filter((scope) => scope.scope.name === METER_NAME)
    .flatMap((scope) => scope.metrics.filter((metric) => metric.descriptor.name === name))
    .flatMap((metric) =>
      (metric.dataPoints as Array<DataPoint<number | Histogram>>).map(({ attributes, value }) => ({ attributes, value })),
    )
}

describe("payment webhook metrics", () => {
  afterEach(() => metrics.disable())

  it("are no-ops without a meter provider, and start counting once the store registers one", async () => {
    // Used before any provider exists (a store without OpenTelemetry): nothing is thrown, nothing kept.
    recordEdgeAnswer("stripe_stripe", "payment_intent.succeeded", "recorded", 3)
    const reader = new OnDemandReader()
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
    recordEdgeAnswer("stripe_stripe", "payment_intent.succeeded", "recorded", 3)
    recordEdgeAnswer("stripe_stripe", "evt_made_up_by_a_forger", "rejected", 1)
    expect(await pointsOf(reader, MetricNames.DELIVERIES)).toEqual([
      { attributes: { provider: "stripe_stripe", event_type: "payment_intent.succeeded", outcome: "recorded" }, value: 1 },
      { attributes: { provider: "stripe_stripe", event_type: "unknown", outcome: "rejected" }, value: 1 },
    ])
    const [ack] = await pointsOf(reader, MetricNames.ACK_DURATION)
    expect(ack.value).toMatchObject({ count: 1, sum: 3 })
  })

  it("counts attempts and failures, times settled rows from their receipt, counts lookups and reports the backlog", async () => {
    const reader = new OnDemandReader()
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
    const received = new Date(Date.now() - 5_000)
    recordAttempt("yoco_yoco", "payment.succeeded", "retrying", received)
    recordAttempt("yoco_yoco", "payment.succeeded", "processed", received)
    recordReconciliationLookup("yoco_yoco", "unpaid")
    noteBacklog({ count: 3, oldestAgeSeconds: 42 })
    const attempts = await pointsOf(reader, MetricNames.ATTEMPTS)
    expect(attempts.map((point) => [point.attributes.outcome, point.value])).toEqual([
      ["retrying", 1],
      ["processed", 1],
    ])
    expect((await pointsOf(reader, MetricNames.FAILURES)).map((point) => [point.attributes.outcome, point.value])).toEqual([
      ["retrying", 1],
    ])
    const [settled] = await pointsOf(reader, MetricNames.TIME_TO_SETTLE)
    expect(settled.attributes.outcome).toBe("processed")
    expect(settled.value).toMatchObject({ count: 1 })
    expect(typeof settled.value === "number" ? 0 : settled.value.sum).toBeGreaterThanOrEqual(5_000)
    expect((await pointsOf(reader, MetricNames.RECONCILIATION_LOOKUPS))[0]).toMatchObject({ attributes: { outcome: "unpaid" }, value: 1 })
    expect((await pointsOf(reader, MetricNames.BACKLOG_SIZE))[0].value).toBe(3)
    expect((await pointsOf(reader, MetricNames.BACKLOG_OLDEST_AGE))[0].value).toBe(42)
  })
})
