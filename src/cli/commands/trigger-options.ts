import { toMinorUnits } from "../../providers/base/money"
import { HELP_OPTION, required } from "../args"
import { UsageError, type CliContext } from "../context"

/** The options of `trigger`, for `parseArgs`. */
export const TRIGGER_OPTIONS = {
  ...HELP_OPTION,
  session: { type: "string" },
  url: { type: "string" },
  secret: { type: "string" },
  amount: { type: "string" },
  currency: { type: "string" },
  intent: { type: "string" },
  checkout: { type: "string" },
  mode: { type: "string" },
  "event-id": { type: "string" },
} as const

/** Options of `trigger` once parsed. */
export type TriggerValues = { [K in Exclude<keyof typeof TRIGGER_OPTIONS, "help">]?: string }

/** A signed delivery, ready to POST. */
export type SignedDelivery = { id: string; body: string; headers: Record<string, string> }

const AMOUNT = /^\d+(\.\d+)?$/

/** `--amount` as a major-unit decimal string, or a usage error. */
export function majorAmount(value: string | undefined): string | undefined {
  if (value !== undefined && !AMOUNT.test(value)) {
    throw new UsageError(`--amount must be an amount in major units such as 25 or 19.99, got '${value}'`)
  }
  return value
}

/** Major units to the PSP's minor units for `currency` (cents, or whole yen, or thousandths). */
export function minorAmount(major: string, currency: string): number {
  if (!/^[a-z]{3}$/i.test(currency)) {
    throw new UsageError(`--currency must be a three-letter ISO code, got '${currency}'`)
  }
  return toMinorUnits(major, currency)
}

/** The signing secret: `--secret`, else the first of the store's own variable (a comma-separated list while rolling). */
export function secretOf(values: TriggerValues, context: CliContext, envName: string): string {
  const secret = required(values.secret, "secret", { name: envName, value: context.env[envName] })
  return secret.split(",")[0].trim()
}
