import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { EffectOutcome } from "../effects/outcome"
import type { PaymentState } from "../effects/payment-context"
import { readPaymentState } from "./read-payment-context"
import { isAlreadyDone, type PspFacts } from "./guard"
import type { Plan } from "./plan"
import { inSpan } from "../telemetry/spans"

/** What the store holds for the payment now: the order and the payment, for the row's outcome. */
function holding(context: PaymentState): Record<string, unknown> {
  return {
    order_id: context.orderId ?? null,
    payment_id: context.payment?.id ?? null,
    captured: context.payment?.captured ?? 0,
  }
}

/**
 * Authorizes or captures through Medusa's `processPaymentWorkflow`, which also completes the cart
 * into an order: skipped when the store already holds what the event asks for, and judged done only
 * once it does (the workflow tolerates a cart it could not complete).
 */
export async function carryOutPayment(
  container: MedusaContainer,
  plan: Extract<Plan, { kind: "payment" }>,
  before: PaymentState,
  psp: Pick<PspFacts, "minorUnits">,
): Promise<EffectOutcome> {
  if (isAlreadyDone(plan, before, psp)) {
    return { status: "processed", did: { ran_workflow: false, ...holding(before) } }
  }
  if (before.session.status === "error") {
    // The PSP now reports this payment authorized or captured (a retry after a decline): a session
    // left in `error` could never complete the cart, so it is reopened first.
    await container.resolve<IPaymentModuleService>(Modules.PAYMENT).updatePaymentSession({
      id: before.session.id,
      data: before.session.data,
      amount: before.session.amount,
      currency_code: before.session.currency_code,
      status: "pending",
    })
  }
  await inSpan("workflow", () =>
    processPaymentWorkflow(container).run({
      input: { action: plan.action, data: { session_id: plan.session_id, amount: plan.amount } },
      throwOnError: true,
    }),
  )
  const after = await inSpan("read_payment", () => readPaymentState(container, plan.session_id))
  if (after && isAlreadyDone(plan, after, psp)) {
    return { status: "processed", did: { ran_workflow: true, ...holding(after) } }
  }
  const reason =
    after?.cartId && !after.orderId
      ? `cart ${after.cartId} was not completed into an order`
      : `payment of session ${plan.session_id} is not ${plan.action} yet`
  return { status: "retry", reason }
}
