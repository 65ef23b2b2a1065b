#!/usr/bin/env node
/**
 * `medusa-payment-webhooks`: the package's command-line tool (its `bin`). Offline signed test
 * events for Stripe and Yoco, Yoco webhook registration, and the store's webhook inbox.
 */
import { messageOf } from "./context"
import { main } from "./main"

main(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    // exitCode, not exit(): pending output is flushed before the process ends.
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`error: ${messageOf(error)}\n`)
    process.exitCode = 1
  },
)
