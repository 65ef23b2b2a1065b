import type { Logger } from "@medusajs/framework/types"

/** A Medusa logger that keeps every line it is given (warnings prefixed `WARN `, debug lines `DEBUG `), for tests that assert what was logged. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = []
  private record = (message: unknown) => void this.lines.push(String(message))
  panic = this.record
  shouldLog = () => true
  setLogLevel = () => undefined
  unsetLogLevel = () => undefined
  activity = (message: string) => (this.record(message), "activity")
  progress = (_id: string, message: string) => this.record(message)
  error = (message: string | Error) => this.record(message)
  failure = (_id: string, message: string) => this.record(message)
  success = (_id: string, message: string) => (this.record(message), {})
  silly = this.record
  debug = (message: string) => this.record(`DEBUG ${message}`)
  verbose = this.record
  http = this.record
  info = this.record
  warn = (message: string) => this.record(`WARN ${message}`)
  log = (...args: unknown[]) => this.record(args.join(" "))
}
