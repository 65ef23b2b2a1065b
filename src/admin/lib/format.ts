/** A timestamp as the admin shows it: the viewer's locale and time zone, to the second (or minute); "-" when there is none. */
export function formatTime(value: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!value) {
    return "-"
  }
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    return value
  }
  // The year only when it is not this one, and a 24-hour clock: short enough for a table cell.
  const year = date.getFullYear() === new Date().getFullYear() ? undefined : "numeric"
  return date.toLocaleString(undefined, {
    year,
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: options.seconds === false ? undefined : "2-digit",
    hourCycle: "h23",
  })
}

/** How long ago `value` was, as a person reads it: "just now", "12 s ago", "3 min ago", "2 h ago"; "-" when there is none. */
export function formatAge(value: string | null | undefined, nowMs: number = Date.now()): string {
  const at = value ? Date.parse(value) : NaN
  if (Number.isNaN(at)) {
    return "-"
  }
  // A clock a little ahead of the server's would give a negative age: that is "just now" too.
  const seconds = Math.max(0, Math.round((nowMs - at) / 1000))
  if (seconds < 5) {
    return "just now"
  }
  if (seconds < 60) {
    return `${seconds} s ago`
  }
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`
}

/** An amount in the currency's major unit (as Medusa stores it), with its currency code; "-" when unknown. */
export function formatAmount(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) {
    return "-"
  }
  if (!currency || Number.isNaN(amount)) {
    return String(amount)
  }
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount)
  } catch {
    // An unknown currency code: show the number and the code rather than fail the row.
    return `${amount} ${currency.toUpperCase()}`
  }
}

/** The provider's name for people: `stripe_stripe` → "Stripe", `stripe_auto` → "Stripe (auto)". */
export function formatProvider(providerId: string): string {
  const key = providerId.replace(/^pp_/, "")
  const [identifier, ...rest] = key.split("_")
  const name = identifier.charAt(0).toUpperCase() + identifier.slice(1)
  const id = rest.join("_")
  return id && id !== identifier ? `${name} (${id})` : name
}

/** A short, readable form of a JSON value for the drawer (objects one key per line). */
export function formatJson(value: unknown): string {
  return value === null || value === undefined ? "-" : JSON.stringify(value, null, 2)
}

/** The reason of an error as a person reads it. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
