/**
 * An amount in the currency's major unit as a person reads it, with the currency's own decimals
 * (ISO 4217, as the runtime's Intl data knows them): `10.00 USD`, `1000 JPY`, `1.500 KWD`.
 */
export function formatAmount(major: number, currencyCode: string): string {
  const code = currencyCode.toUpperCase()
  let decimals = 2
  try {
    decimals = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // Not a currency Intl knows: two decimals, as most have.
  }
  return `${major.toFixed(decimals)} ${code}`
}
