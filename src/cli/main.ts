import { COMMANDS } from "./commands"
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, messageOf, UsageError, type CliContext, type Command } from "./context"

/** The program's name, as installed by the package's `bin`. */
export const PROGRAM = "medusa-payment-webhooks"

function listing(commands: readonly Command[]): string {
  const names = commands.map((command) => [...command.path, command.synopsis].filter(Boolean).join(" "))
  const width = Math.max(...names.map((name) => name.length))
  return commands.map((command, index) => `  ${names[index].padEnd(width)}  ${command.summary}`).join("\n")
}

/** The help of the program, or of a command group such as `yoco webhooks`. */
function groupHelp(prefix: readonly string[], commands: readonly Command[]): string {
  const name = [PROGRAM, ...prefix].join(" ")
  const intro = prefix.length ? "" : "Developer tools for the Stripe and Yoco webhooks of a Medusa store with medusa-payment-webhooks.\n\n"
  return `Usage: ${name} <command> [options]\n\n${intro}Commands:\n${listing(commands)}\n\nRun '${name} <command> --help' for a command's options.`
}

function startsWith(args: readonly string[], path: readonly string[]): boolean {
  return path.every((word, index) => args[index] === word)
}

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h" || arg === "help"

/**
 * Runs the tool with `args` (the words after the program name) and resolves with the exit code:
 * 0 done, 1 a request failed or was answered with an error, 2 a wrong command line.
 */
export async function main(args: readonly string[], context: CliContext): Promise<number> {
  const command = COMMANDS.find((candidate) => startsWith(args, candidate.path))
  if (!command) {
    // A command group (`yoco`, `yoco webhooks`) or the program itself: list what it holds.
    const words = args.filter((arg) => !arg.startsWith("-"))
    let prefix = words.slice(0, 2)
    while (prefix.length && !COMMANDS.some((candidate) => startsWith(candidate.path, prefix))) {
      prefix = prefix.slice(0, -1)
    }
    const group = COMMANDS.filter((candidate) => startsWith(candidate.path, prefix))
    const asked = args.length === prefix.length + 1 && isHelp(args[prefix.length])
    if (asked) {
      context.out(groupHelp(prefix, group))
      return EXIT_OK
    }
    const unknown = args[prefix.length]
    const name = [PROGRAM, ...prefix].join(" ")
    context.err(unknown === undefined ? `error: ${name} needs a command` : `error: unknown command '${unknown}' for ${name}`)
    context.err(`Run '${name} --help' for the commands.`)
    return EXIT_USAGE
  }
  try {
    return await command.run(args.slice(command.path.length), context)
  } catch (error) {
    context.err(`error: ${messageOf(error)}`)
    if (error instanceof UsageError) {
      context.err(`Run '${[PROGRAM, ...command.path].join(" ")} --help' for usage.`)
      return EXIT_USAGE
    }
    return EXIT_FAILED
  }
}
