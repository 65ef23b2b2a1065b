/**
 * An amount in the currency's major unit as a person reads it, with the currency's own decimals
 * (ISO 4217, as the runtime's Intl data knows them): `10.00 USD`, `1000 JPY`, `1.500 KWD`.
 */
export function formatAmount(major: number, currencyCode: string): string {
  return `${major.toFixed(currencyDecimals(currencyCode))} ${currencyCode.toUpperCase()}`
}

/**
 * A major-unit amount in the currency's minor units, by its ISO 4217 decimals (for providers of other
 * packages, whose own rules are not known here): `10.5 USD` → 1050, `1000 JPY` → 1000.
 */
export function minorUnitsOf(major: number, currencyCode: string): number {
  const decimals = currencyDecimals(currencyCode)
  return Math.round(Number(`${major}e${decimals}`))
}

/** The currency's decimals as the runtime's Intl data knows them; two for a code it does not know. */
function currencyDecimals(currencyCode: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency: currencyCode.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}
