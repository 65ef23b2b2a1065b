import type { OrderStepsResult, RouteSteps, StepCost } from "../../profile/order-steps"
import { cell } from "./common"

/** What each timed step is, in the order an order takes them. */
const STEP_LABELS: Array<[string, string]> = [
  ["edge.verify", "edge: verify `Stripe-Signature` (the SDK) and name the event"],
  ["edge.record", "edge: record the delivery (one `INSERT … ON CONFLICT`)"],
  ["edge", "edge: the rest (raw body, metric)"],
  ["medusa.verify_and_map", "Medusa's subscriber: its provider verifies the signature again and maps the event"],
  ["claim", "processor: claim the row (one `UPDATE … RETURNING`)"],
  ["attempt", "processor: find the provider, plan, guard (amount, currency, PSP object)"],
  ["interpret", "processor: map the recorded event (its body parsed once)"],
  ["lock.acquire", "processor: take the session's lock (Medusa's Locking module)"],
  ["read_payment", "processor: read the session, payment, captures and order (`query.graph`, before and after the workflow)"],
  ["workflow", "`processPaymentWorkflow`: authorize at the PSP, complete the cart into an order"],
  ["lock.release", "processor: release the session's lock"],
  ["settle", "processor: settle the row (one `UPDATE`, its history appended)"],
  ["report", "processor: metrics and the settled row's report"],
  ["process", "processor: the rest (turn, lease renewal)"],
  ["total", "between the steps"],
]

const labelOf = (step: string) => STEP_LABELS.find(([name]) => name === step)?.[1] ?? step
const rank = (step: string) => {
  const index = STEP_LABELS.findIndex(([name]) => name === step)
  return index < 0 ? STEP_LABELS.length : index
}

function sum(steps: readonly StepCost[]): { storeCpuUs: number; postgresCpuUs: number; wallMs: number } {
  return steps.reduce(
    (total, step) => ({
      storeCpuUs: total.storeCpuUs + step.storeCpuUs,
      postgresCpuUs: total.postgresCpuUs + step.postgresCpuUs,
      wallMs: total.wallMs + step.wallMs,
    }),
    { storeCpuUs: 0, postgresCpuUs: 0, wallMs: 0 },
  )
}

const ms = (us: number) => cell(us / 1000, 2)
const costCells = (cost: Pick<StepCost, "storeCpuUs" | "postgresCpuUs" | "wallMs"> | undefined) =>
  cost ? `${ms(cost.storeCpuUs)} | ${ms(cost.postgresCpuUs)} | ${cell(cost.wallMs, 2)}` : "– | – | –"

function totalText(route: RouteSteps["duplicate"]): string {
  const total = sum(route)
  return `${ms(total.storeCpuUs)} + ${ms(total.postgresCpuUs)} ms of CPU (store + PostgreSQL), ${cell(total.wallMs, 2)} ms`
}

/** The per-step table of one order on each route, and a PSP's retry of it. */
export function orderStepsLines(steps: OrderStepsResult): string[] {
  const names = [...new Set([...steps.plugin.steps, ...steps.medusa.steps].map((step) => step.step))].sort((a, b) => rank(a) - rank(b))
  const of = (route: RouteSteps, name: string) => route.steps.find((step) => step.step === name)
  const pluginTotal = sum(steps.plugin.steps)
  const medusaTotal = sum(steps.medusa.steps)
  return [
    "",
    `**One order, step by step** (${steps.plugin.orders} orders per route after 8 uncounted, one at a time and alternating, in the store's container by \`medusa exec\` with its server stopped: ` +
      "the plugin's steps are its own tracing spans, Medusa's route is timed around the two calls its subscriber makes; each step without the steps inside it; " +
      "means per order; CPU of the store's process and of PostgreSQL's backends serving it, in ms):",
    "",
    "| step | plugin: store CPU | plugin: PostgreSQL CPU | plugin: wall | Medusa's route: store CPU | Medusa's route: PostgreSQL CPU | Medusa's route: wall |",
    "|---|---|---|---|---|---|---|",
    ...names.map((name) => `| ${labelOf(name)} | ${costCells(of(steps.plugin, name))} | ${costCells(of(steps.medusa, name))} |`),
    `| **one order** | **${ms(pluginTotal.storeCpuUs)}** | **${ms(pluginTotal.postgresCpuUs)}** | ${cell(pluginTotal.wallMs, 2)} | ` +
      `**${ms(medusaTotal.storeCpuUs)}** | **${ms(medusaTotal.postgresCpuUs)}** | ${cell(medusaTotal.wallMs, 2)} |`,
    "",
    `- A PSP's retry of a delivery already carried out: the plugin ${totalText(steps.plugin.duplicate)} (the edge finds it recorded: nothing runs); ` +
      `Medusa's route ${totalText(steps.medusa.duplicate)} (its subscriber verifies it again and runs the workflow, which finds the cart completed).`,
  ]
}
