import { fork, type ChildProcess } from "node:child_process"

/** Load children still running, so an interrupted benchmark can stop them. */
const running = new Set<ChildProcess>()

/** Kills every load child still running. */
export function killChildren(): void {
  for (const child of running) {
    child.kill("SIGKILL")
  }
  running.clear()
}

/** What a load child sends back: its result, or why it failed. */
export type ChildReply<R> = { ok: true; result: R } | { ok: false; error: string }

/**
 * Runs a TypeScript load script in a child process (the load never shares the store's process,
 * nor the orchestrator's event loop): sends it `job` over IPC and resolves with its one reply.
 * The child is killed if it has not answered within `timeoutMs`.
 */
export function runChild<J extends object, R>(script: string, job: J, timeoutMs: number): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: ["-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    running.add(child)
    child.once("exit", () => running.delete(child))
    let settled = false
    const settle = (finish: () => void) => {
      if (settled) {
        return
      }
      settled = true
      clearTimeout(timer)
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL")
      }
      finish()
    }
    const fail = (error: Error) => settle(() => reject(error))
    const timer = setTimeout(() => fail(new Error(`${script} gave no answer within ${timeoutMs} ms`)), timeoutMs)
    child.on("message", (reply: ChildReply<R>) => (reply.ok ? settle(() => resolve(reply.result)) : fail(new Error(reply.error))))
    child.on("error", fail)
    child.on("exit", (code) => fail(new Error(`${script} exited ${code} without an answer`)))
    child.send(job)
  })
}

/** The child's side: waits for one job, runs `handler`, replies, and exits. */
export function serveOneJob<J, R>(handler: (job: J) => Promise<R>): void {
  process.once("message", (job: J) => {
    handler(job).then(
      (result) => process.send?.({ ok: true, result } satisfies ChildReply<R>, () => process.exit(0)),
      (error: unknown) =>
        process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies ChildReply<R>, () =>
          process.exit(1),
        ),
    )
  })
}
