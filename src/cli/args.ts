import { parseArgs, type ParseArgsConfig } from "node:util"
import { messageOf, UsageError, type CliContext } from "./context"

/** The `-h` / `--help` flag every command accepts (spread into its `parseArgs` options). */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const

/** Runs a `node:util` `parseArgs` call, turning its complaints (unknown option, missing value) into a {@link UsageError}. */
export function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    throw new UsageError(messageOf(error))
  }
}

/**
 * Parses a command's arguments strictly (unknown options are a usage error). On `-h`/`--help`
 * prints the command's help and answers undefined: the command then ends successfully.
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: O,
  help: string,
  context: CliContext,
) {
  const parsed = parseOrUsage(() => parseArgs({ args, options, allowPositionals: true, strict: true }))
  if ("help" in parsed.values && parsed.values.help) {
    context.out(help)
    return undefined
  }
  return parsed
}

/** Exactly one positional per name (the names are for the error message); missing or extra ones are a usage error. */
export function positionals(values: readonly string[], names: readonly string[]): string[] {
  if (values.length < names.length) {
    throw new UsageError(
      `missing ${names
        .slice(values.length)
        .map((name) => `<${name}>`)
        .join(" ")}`,
    )
  }
  if (values.length > names.length) {
    throw new UsageError(`unexpected argument '${values[names.length]}'`)
  }
  return [...values]
}

/** A required option, from the command line or else from the environment variable `fallback` names. */
export function required(value: string | undefined, option: string, fallback?: { name: string; value: string | undefined }): string {
  const chosen = value || fallback?.value
  if (!chosen) {
    throw new UsageError(`--${option} is required${fallback ? ` (or set ${fallback.name})` : ""}`)
  }
  return chosen
}

/** An http(s) URL, or a usage error naming the option. */
export function httpUrl(value: string, option: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--${option} must be an http(s) URL, got '${value}'`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--${option} must be an http(s) URL, got '${value}'`)
  }
  return url
}

/** A whole number within bounds, or a usage error naming the option. */
export function integer(value: string | undefined, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) {
    return undefined
  }
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(
      `--${option} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? "" : ` to ${max}`}, got '${value}'`,
    )
  }
  return parsed
}
