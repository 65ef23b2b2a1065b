/**
 * True for an error about the data itself (SQLSTATE classes 21 cardinality, 22 data exception, 23
 * integrity): the statement would fail again as it is, unlike a timeout or a lost connection.
 */
export function isDataError(error: unknown): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string" && /^2[123]/.test(error.code)
}

/** True when `error` is a PostgreSQL error with one of these SQLSTATE codes. */
export function hasPostgresCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string" && codes.includes(error.code)
}
