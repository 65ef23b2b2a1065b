/** Exit codes of every command. */
export const EXIT_OK = 0
/** A request failed, or the answer was not a success. */
export const EXIT_FAILED = 1
/** The command line was wrong (unknown command or option, missing value). */
export const EXIT_USAGE = 2

/** What a command may touch: its environment and two output streams (injectable for tests). */
export type CliContext = {
  env: Readonly<Record<string, string | undefined>>
  /** Results (stdout). */
  out(text: string): void
  /** Errors and notes (stderr). */
  err(text: string): void
}

/** A wrong command line: exit code 2, with a pointer to the command's `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError"
}

/** A request that failed or got an unexpected answer: exit code 1. */
export class CommandFailed extends Error {
  override readonly name = "CommandFailed"
}

/** One command of the tool, e.g. `trigger` or `yoco webhooks register`. */
export type Command = {
  /** The words that name it after the program name. */
  path: readonly string[]
  /** Its arguments, as shown in the command list. */
  synopsis: string
  /** One line for the command list. */
  summary: string
  /** The full `--help` text. */
  help: string
  /** Runs it with the arguments after its name; resolves with the exit code. */
  run(args: string[], context: CliContext): Promise<number>
}

/** The message of anything thrown (also of errors from another realm, where `instanceof Error` is false). */
export function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message
  }
  return String(error)
}
