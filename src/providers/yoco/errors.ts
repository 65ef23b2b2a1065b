import { MedusaError } from "@medusajs/framework/utils"
import { isYocoApiError } from "./client"

/**
 * A Yoco failure as a MedusaError naming the Medusa operation (the client's message never holds
 * the key); anything that is not a Yoco API error passes through unchanged.
 */
export function yocoFailure(operation: string, error: unknown): unknown {
  if (!isYocoApiError(error)) {
    return error
  }
  const type =
    error.status === 404
      ? MedusaError.Types.NOT_FOUND
      : error.status !== undefined &&
          error.status >= 400 &&
          error.status < 500 &&
          error.status !== 401 &&
          error.status !== 403 &&
          error.status !== 429
        ? MedusaError.Types.INVALID_DATA
        : MedusaError.Types.UNEXPECTED_STATE
  return new MedusaError(type, `Yoco ${operation} failed: ${error.message}`)
}
