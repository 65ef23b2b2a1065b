import {
  validateAndTransformBody,
  validateAndTransformQuery,
  type MedusaNextFunction,
  type MedusaRequest,
  type MedusaResponse,
} from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type { z } from "@medusajs/framework/zod"

/** A middleware as Medusa's validators make it. */
type Validator = (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => Promise<void>

/** How Medusa's validators begin the message of a refused request. */
const MEDUSA_PREFIX = "Invalid request: "

/**
 * A refusal of Medusa's validators worded as this API has always worded it, "Invalid query: …" or
 * "Invalid body: …" (scripts and the command-line tool match on it); any other error as it is.
 */
export function reworded(error: unknown, what: "query" | "body"): unknown {
  if (error instanceof Error && MedusaError.isMedusaError(error) && error.message.startsWith(MEDUSA_PREFIX)) {
    return new MedusaError(error.type, `Invalid ${what}: ${error.message.slice(MEDUSA_PREFIX.length)}`)
  }
  return error
}

function worded(validate: Validator, what: "query" | "body"): Validator {
  // `next()` without an error lets the request through: only a refusal is worded anew.
  return (req, res, next) => validate(req, res, (error?: unknown) => (error === undefined ? next() : next(reworded(error, what))))
}

/**
 * Medusa's `validateAndTransformQuery`: the handler reads `req.validatedQuery`. `isList` only tells Medusa
 * to prepare its list config (`limit`/`offset`): the schema's own defaults and bounds are the ones that hold.
 */
export function validateQuery(schema: z.ZodType, config: { isList: boolean }): Validator {
  return worded(validateAndTransformQuery(schema, { defaults: [], ...config }), "query")
}

/** Medusa's `validateAndTransformBody`: the handler reads `req.validatedBody`. */
export function validateBody(schema: z.ZodType): Validator {
  return worded(validateAndTransformBody(schema), "body")
}
