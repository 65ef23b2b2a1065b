import { spawn } from "node:child_process"

/** What a finished command printed, and how it ended. */
export type CommandRun = { code: number | null; stdout: string; stderr: string }

/**
 * Runs a command to its end without blocking the event loop (the store a command talks to may be
 * served by the test's own process), with the test runner's NODE_OPTIONS left out.
 */
export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CommandRun> {
  const { NODE_OPTIONS: _testRunnerOptions, ...inherited } = process.env
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...inherited, ...options.env }, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })
}
