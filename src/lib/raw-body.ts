import { WebhookVerificationError } from "./errors"

/** The JSON form a Buffer takes after a trip through a serialising event bus (Redis). */
type SerializedBuffer = { type: "Buffer"; data: number[] }

function isSerializedBuffer(value: unknown): value is SerializedBuffer {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "Buffer" &&
    Array.isArray((value as { data?: unknown }).data)
  )
}

/**
 * Returns the exact bytes the PSP signed. Accepts a Buffer, a string, or a Buffer serialised
 * by the Redis event bus; anything else (a parsed object) cannot be verified and is refused.
 */
export function toRawBody(rawData: unknown): Buffer {
  if (Buffer.isBuffer(rawData)) {
    return rawData
  }
  if (typeof rawData === "string") {
    return Buffer.from(rawData, "utf8")
  }
  if (rawData instanceof Uint8Array) {
    return Buffer.from(rawData)
  }
  if (isSerializedBuffer(rawData)) {
    return Buffer.from(rawData.data)
  }
  throw new WebhookVerificationError(
    "not_raw_body",
    "The webhook body is not the raw request body (got a parsed object); the signature cannot be checked",
  )
}

/** Reads one header from Node's lower-cased header map, refusing repeated values. */
export function singleHeader(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name.toLowerCase()]
  if (typeof value === "string") {
    return value
  }
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") {
    return value[0]
  }
  return undefined
}
