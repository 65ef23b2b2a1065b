import BigNumber from "bignumber.js"
import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"

/** Currencies that have no minor unit at Stripe (amounts are sent as whole units). */
const ZERO_DECIMAL = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
])

/** Currencies with three decimals (amounts are sent in thousandths). */
const THREE_DECIMAL = new Set(["bhd", "iqd", "jod", "kwd", "omr", "tnd"])

/** Number of decimals between a currency's major unit and the integer amount a PSP expects. */
export function currencyExponent(currencyCode: string): 0 | 2 | 3 {
  const code = currencyCode.toLowerCase()
  if (ZERO_DECIMAL.has(code)) {
    return 0
  }
  if (THREE_DECIMAL.has(code)) {
    return 3
  }
  return 2
}

/**
 * Converts a Medusa amount (major unit, any BigNumber form) to the PSP's integer minor units.
 * Decimal arithmetic throughout: `19.99` becomes `1999`, never `1998.9999`.
 * Amounts finer than the currency allows are rounded half-up, which is what the PSP will charge.
 */
export function toMinorUnits(amount: BigNumberInput, currencyCode: string): number {
  const exponent = currencyExponent(currencyCode)
  const major = new BigNumber(MathBN.convert(amount).toFixed())
  if (!major.isFinite() || major.isNegative()) {
    throw new Error(`Amount ${major.toFixed()} ${currencyCode.toUpperCase()} is not a valid payment amount`)
  }
  let minor = major.shiftedBy(exponent).integerValue(BigNumber.ROUND_HALF_UP)
  if (exponent === 3) {
    // Stripe requires three-decimal amounts to end in 0 (its acquirers settle in hundredths).
    minor = minor.shiftedBy(-1).integerValue(BigNumber.ROUND_HALF_UP).shiftedBy(1)
  }
  return minor.toNumber()
}

/** Converts PSP integer minor units back to the currency's major unit, exactly. */
export function fromMinorUnits(minor: number, currencyCode: string): number {
  if (!Number.isSafeInteger(minor)) {
    throw new Error(`Minor-unit amount ${minor} is not a whole number`)
  }
  return new BigNumber(minor).shiftedBy(-currencyExponent(currencyCode)).toNumber()
}
