/**
 * Text PostgreSQL can store: it refuses the NUL character in `text` and `json` values, and a signed
 * event may carry one (`"\u0000"` in a field). Each NUL becomes U+FFFD, so the row is still written.
 */
export function storableText(value: string): string
export function storableText(value: string | null): string | null
export function storableText(value: string | null): string | null {
  return value !== null && value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value
}
