import { SpanStatusCode, trace } from "@opentelemetry/api"
import { errorMessage } from "../../lib/errors"

// A proxy until the store registers a tracer provider (Medusa's `registerOtel`), a no-op without one.
const tracer = trace.getTracer("medusa-payment-webhooks")

/**
 * Runs `work` in a tracing span named `payment_webhooks.<step>`: one step of a delivery (verify,
 * record, claim, lock, read, workflow, settle…), so a store's traces show where a delivery's time
 * went. The span carries only the step's name and, on failure, the error's message; never a payload.
 */
export function inSpan<T>(step: string, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(`payment_webhooks.${step}`, async (span) => {
    try {
      return await work()
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) })
      throw error
    } finally {
      span.end()
    }
  })
}
