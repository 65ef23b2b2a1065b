import { hostname } from "node:os"
import type { ConfigModule, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { errorMessage } from "../../lib/errors"
import { PAYMENT_WEBHOOKS_MODULE } from "../../modules/payment-webhooks"
import type { JobProcess } from "../../modules/payment-webhooks/job-runs"
import type PaymentWebhooksModuleService from "../../modules/payment-webhooks/service"
import { jobIntervalMs, REDRIVE_JOB_NAME } from "./job-schedule"

/**
 * This process as the job's heartbeat names it. Its kind is the worker mode Medusa loaded it with (the
 * config's `workerMode`, which a store may set without the environment), else `MEDUSA_WORKER_MODE`, else `shared`.
 */
export function jobProcess(container: MedusaContainer): JobProcess {
  const config = container.resolve<ConfigModule | undefined>(ContainerRegistrationKeys.CONFIG_MODULE, { allowUnregistered: true })
  return { kind: config?.projectConfig?.workerMode || process.env.MEDUSA_WORKER_MODE || "shared", host: hostname(), pid: process.pid }
}

/**
 * Runs one pass of the job and keeps its heartbeat: a row written when the pass starts and when it
 * ends (with its summary, or its error, which is thrown on). The heartbeat is the health check's
 * proof that the job runs somewhere; failing to write it only warns, it never stops the pass.
 */
export async function recordJobRun<T extends Record<string, unknown>>(container: MedusaContainer, pass: () => Promise<T>): Promise<T> {
  if (!container.hasRegistration(PAYMENT_WEBHOOKS_MODULE)) {
    return pass()
  }
  const inbox = container.resolve<PaymentWebhooksModuleService>(PAYMENT_WEBHOOKS_MODULE)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const runner = jobProcess(container)
  const intervalMs = jobIntervalMs()
  const note = (what: string, write: () => Promise<void>) =>
    write().catch((error: unknown) => logger.warn(`Payment webhooks job: could not note the pass ${what}: ${errorMessage(error)}`))
  await note("start", () => inbox.noteJobStarted(REDRIVE_JOB_NAME, runner, intervalMs))
  const started = Date.now()
  try {
    const summary = await pass()
    await note("end", () =>
      inbox.noteJobFinished(REDRIVE_JOB_NAME, runner, { intervalMs, durationMs: Date.now() - started, summary, error: null }),
    )
    return summary
  } catch (error) {
    const reason = errorMessage(error)
    await note("end", () =>
      inbox.noteJobFinished(REDRIVE_JOB_NAME, runner, { intervalMs, durationMs: Date.now() - started, summary: null, error: reason }),
    )
    throw error
  }
}
