import { postWebhook } from "../testing/stripe/deliver"
import { CommandFailed, messageOf } from "./context"

/** An HTTP answer: status and text body. */
export type HttpAnswer = { status: number; body: string }

/** The reason of a failed connection (`fetch failed` alone says nothing; its cause does). */
function networkReason(error: unknown): string {
  const cause = typeof error === "object" && error !== null && "cause" in error ? error.cause : undefined
  return cause === undefined ? messageOf(error) : messageOf(cause)
}

/** POSTs a webhook body with exactly these headers; a connection failure is a {@link CommandFailed}. */
export async function sendWebhook(url: URL, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
  try {
    const answer = await postWebhook(url.toString(), body, headers, 30_000)
    return { status: answer.status, body: answer.body }
  } catch (error) {
    throw new CommandFailed(`could not reach ${url.origin}: ${networkReason(error)}`)
  }
}

/** Sends a request with `fetch`; a connection failure is a {@link CommandFailed}. */
export async function request(url: URL, init: RequestInit): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) })
    return { status: response.status, body: await response.text() }
  } catch (error) {
    throw new CommandFailed(`could not reach ${url.origin}: ${networkReason(error)}`)
  }
}

/** The error message in a JSON error body (Medusa's `{ message }`), else the body's start. */
export function answerMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null && "message" in parsed && typeof parsed.message === "string") {
      return parsed.message
    }
  } catch {
    // Not JSON: show the text itself.
  }
  const line = body.replace(/\s+/g, " ").trim()
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}
