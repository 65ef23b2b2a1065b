/**
 * `medusa exec <abs>/bench/profile/order-steps.ts <in.json> <out.json>` in the benchmark store, its
 * server stopped so that nothing else runs: one order at a time on each route, alternating, and what
 * each step of it costs (the CPU of this process, the CPU of PostgreSQL's backends serving it, and the
 * wall time). The plugin's steps are its own tracing spans (`payment_webhooks.*`), read by a tracer
 * registered here; Medusa's route is timed around the two calls its subscriber makes. Each step's
 * figures are its own, without the steps inside it.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import {
  INVALID_SPAN_CONTEXT,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api"
import type { ExecArgs, IPaymentModuleService, IWorkflowEngineService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { processPaymentWorkflowId } from "@medusajs/medusa/core-flows"
import { PAYMENT_WEBHOOKS_MODULE } from "../../src/modules/payment-webhooks"
import type PaymentWebhooksModuleService from "../../src/modules/payment-webhooks/service"
import { receiveDelivery } from "../../src/webhooks/edge/receive-delivery"
import { inboxSources } from "../../src/webhooks/edge/webhook-sources"
import { processDelivery } from "../../src/webhooks/processor/process-delivery"
import { signDelivery } from "../load/stripe-bodies"

/** One paid cart: its session and the PSP's `amount_capturable_updated` event for it (JSON). */
export type StepCart = { sessionId: string; payload: string }

/** What the orchestrator hands over: carts of each route, the endpoint secret, how many orders warm up uncounted. */
export type OrderStepsInput = { secret: string; plugin: StepCart[]; medusa: StepCart[]; warmup: number }

/** One step's cost per order (mean over the counted orders): µs of this process's CPU and of PostgreSQL's, ms of wall time. */
export type StepCost = { step: string; storeCpuUs: number; postgresCpuUs: number; wallMs: number }

/** Per route: every step per order, and the same for a duplicate of a delivery already carried out. */
export type RouteSteps = { orders: number; steps: StepCost[]; duplicate: StepCost[] }

export type OrderStepsResult = { plugin: RouteSteps; medusa: RouteSteps }

type Totals = { cpuUs: number; pgNs: number; wallMs: number }
type Frame = { name: string; start: Totals; probe: Totals; children: Totals }

const zero = (): Totals => ({ cpuUs: 0, pgNs: 0, wallMs: 0 })
const minus = (a: Totals, b: Totals): Totals => ({ cpuUs: a.cpuUs - b.cpuUs, pgNs: a.pgNs - b.pgNs, wallMs: a.wallMs - b.wallMs })
const plus = (a: Totals, b: Totals): Totals => ({ cpuUs: a.cpuUs + b.cpuUs, pgNs: a.pgNs + b.pgNs, wallMs: a.wallMs + b.wallMs })

/** CPU (ns, precise: the scheduler's own count) PostgreSQL's backends of this store have spent so far. */
function postgresNs(pids: readonly number[]): number {
  let total = 0
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0])
    } catch {
      // A backend that ended: its time is lost to this step, as it would be to any meter.
    }
  }
  return total
}

/**
 * Times nested steps, one chain at a time: each step's figures less those of the steps inside it,
 * and less what reading the meters cost (the meters' own reads are counted apart and taken out).
 */
class StepClock {
  backends: number[] = []
  private stack: Frame[] = []
  private probeCost = zero()
  private spent = new Map<string, Totals>()

  private now(): Totals {
    const before = process.cpuUsage()
    const wallBefore = performance.now()
    const pgNs = postgresNs(this.backends)
    const after = process.cpuUsage()
    const wallAfter = performance.now()
    // Reading PostgreSQL's counters costs this process too: kept apart, and taken out of every step.
    this.probeCost = plus(this.probeCost, {
      cpuUs: after.user + after.system - before.user - before.system,
      pgNs: 0,
      wallMs: wallAfter - wallBefore,
    })
    return { cpuUs: after.user + after.system, pgNs, wallMs: wallAfter }
  }

  begin(name: string): void {
    const start = this.now()
    this.stack.push({ name, start, probe: { ...this.probeCost }, children: zero() })
  }

  end(): void {
    const end = this.now()
    const frame = this.stack.pop()
    if (!frame) {
      return
    }
    const total = minus(minus(end, frame.start), minus(this.probeCost, frame.probe))
    this.spent.set(frame.name, plus(this.spent.get(frame.name) ?? zero(), minus(total, frame.children)))
    const parent = this.stack.at(-1)
    if (parent) {
      parent.children = plus(parent.children, total)
    }
  }

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.begin(name)
    try {
      return await work()
    } finally {
      this.end()
    }
  }

  /** What the steps spent since the last call, and forgets it. */
  take(): Map<string, Totals> {
    const spent = this.spent
    this.spent = new Map()
    return spent
  }
}

/** A tracer that times each span on the clock: the plugin's steps, as a store's tracer would see them. */
class StepTracer implements Tracer {
  constructor(private readonly clock: StepClock) {}

  startSpan(name: string): Span {
    this.clock.begin(name.replace(/^payment_webhooks\./, ""))
    const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT)
    const end = span.end.bind(span)
    span.end = (time) => {
      this.clock.end()
      end(time)
    }
    return span
  }

  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, fn: F): ReturnType<F>
  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, options: SpanOptions, fn: F): ReturnType<F>
  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>
  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, ...rest: Array<SpanOptions | Context | F>): ReturnType<F> {
    const fn = rest[rest.length - 1] as F
    return fn(this.startSpan(name))
  }
}

/** The backends serving this process now (its pool's connections): read before each order, outside the timing. */
async function backendsOfThisStore(container: ExecArgs["container"]): Promise<number[]> {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await db.raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
  const own = await db.raw("SELECT pg_backend_pid() AS pid")
  return [...rows.map((row: { pid: number }) => row.pid), own.rows[0].pid]
}

/** Sums each order's steps and divides by the orders: the cost of one order, step by step. */
function perOrder(orders: Array<Map<string, Totals>>): StepCost[] {
  const sums = new Map<string, Totals>()
  for (const order of orders) {
    for (const [step, spent] of order) {
      sums.set(step, plus(sums.get(step) ?? zero(), spent))
    }
  }
  const count = Math.max(orders.length, 1)
  return [...sums].map(([step, spent]) => ({
    step,
    storeCpuUs: Math.round(spent.cpuUs / count),
    postgresCpuUs: Math.round(spent.pgNs / 1000 / count),
    wallMs: Math.round((spent.wallMs / count) * 100) / 100,
  }))
}

export default async function orderSteps({ container, args }: ExecArgs): Promise<void> {
  const [inFile, outFile] = args
  const input: OrderStepsInput = JSON.parse(readFileSync(inFile, "utf8"))
  const clock = new StepClock()
  const tracer = new StepTracer(clock)
  const provider: TracerProvider = { getTracer: () => tracer }
  trace.setGlobalTracerProvider(provider)

  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const payment = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const engine = container.resolve<IWorkflowEngineService>(Modules.WORKFLOW_ENGINE)
  const source = (await inboxSources(container)).get("stripe_mpw")
  if (!source) {
    throw new Error("stripe_mpw is not served by the inbox in this store")
  }

  const delivery = (cart: StepCart) => {
    const signed = signDelivery(cart.payload, input.secret)
    return { raw: Buffer.from(signed.body), parsed: JSON.parse(signed.body), headers: signed.headers }
  }
  // The plugin's route: the edge (verify, record), then the processor on the recorded row.
  const viaPlugin = async (cart: StepCart) => {
    const { raw, parsed, headers } = delivery(cart)
    const answer = await receiveDelivery(
      { inbox, source, logger },
      { providerKey: "stripe_mpw", rawBody: raw, parsedBody: parsed, headers },
    )
    if (answer.recordedId) {
      await processDelivery(container, answer.recordedId)
    }
  }
  // Medusa's route, as its subscriber runs it: the provider verifies and maps, then the workflow.
  const viaMedusa = async (cart: StepCart) => {
    const { raw, parsed, headers } = delivery(cart)
    const mapped = await clock.time("medusa.verify_and_map", () =>
      payment.getWebhookActionAndData({ provider: "stripe_stripe", payload: { data: parsed, rawData: raw, headers } }),
    )
    if (mapped.data?.session_id) {
      await clock.time("workflow", () => engine.run(processPaymentWorkflowId, { input: mapped }))
    }
  }

  const orders = Math.min(input.plugin.length, input.medusa.length)
  /** Cart `index` through each route in turn (alternating, so neither runs on a warmer process): what each step spent. */
  const bothRoutes = async (index: number) => {
    const spent = { plugin: new Map<string, Totals>(), medusa: new Map<string, Totals>() }
    for (const [route, carts, run] of [
      ["plugin", input.plugin, viaPlugin],
      ["medusa", input.medusa, viaMedusa],
    ] as const) {
      clock.backends = await backendsOfThisStore(container)
      clock.take()
      await clock.time("total", () => run(carts[index]))
      spent[route] = clock.take()
    }
    return spent
  }
  const counted = { plugin: [] as Array<Map<string, Totals>>, medusa: [] as Array<Map<string, Totals>> }
  const duplicates = { plugin: [] as Array<Map<string, Totals>>, medusa: [] as Array<Map<string, Totals>> }
  for (let index = 0; index < orders; index++) {
    const spent = await bothRoutes(index)
    if (index >= input.warmup) {
      counted.plugin.push(spent.plugin)
      counted.medusa.push(spent.medusa)
    }
  }
  // A PSP's retry of a delivery already carried out: the plugin's edge finds it recorded; Medusa's route runs it again.
  for (let index = input.warmup; index < orders; index++) {
    const spent = await bothRoutes(index)
    duplicates.plugin.push(spent.plugin)
    duplicates.medusa.push(spent.medusa)
  }
  const result: OrderStepsResult = {
    plugin: { orders: counted.plugin.length, steps: perOrder(counted.plugin), duplicate: perOrder(duplicates.plugin) },
    medusa: { orders: counted.medusa.length, steps: perOrder(counted.medusa), duplicate: perOrder(duplicates.medusa) },
  }
  writeFileSync(outFile, JSON.stringify(result, null, 2))
}
