/** True when `error` is a PostgreSQL error with one of these SQLSTATE codes. */
export function hasPostgresCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && "code" in error && typeof error.code === "string" && codes.includes(error.code)
}
