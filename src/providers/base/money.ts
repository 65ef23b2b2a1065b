import BigNumber from "bignumber.js"
import type { BigNumberInput } from "@medusajs/framework/types"

/** Currencies that have no minor unit at Stripe (amounts are sent as whole units). */
const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
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
 * Reads any form Medusa passes an amount in: a number, a decimal string, a raw `{ value }`,
 * a bignumber.js instance or Medusa's BigNumber (whose `raw` keeps the exact decimal).
 * Written here rather than with Medusa's MathBN so this file stays framework-free.
 */
function toDecimal(amount: BigNumberInput): BigNumber {
  if (typeof amount === "number" || typeof amount === "string") {
    return new BigNumber(amount)
  }
  if (BigNumber.isBigNumber(amount)) {
    return new BigNumber(amount)
  }
  // The two object forms left: Medusa's BigNumber ({ raw, bigNumber, numeric }) and a raw { value }.
  const value = amount as { raw?: { value?: unknown }; bigNumber?: unknown; numeric?: unknown; value?: unknown }
  for (const candidate of [value.raw?.value, value.bigNumber, value.value, value.numeric]) {
    if (typeof candidate === "string" || typeof candidate === "number" || BigNumber.isBigNumber(candidate)) {
      return new BigNumber(candidate)
    }
  }
  return new BigNumber(Number.NaN)
}

/**
 * Converts a Medusa amount (major unit, any BigNumber form) to the PSP's integer minor units.
 * Decimal arithmetic throughout: `19.99` becomes `1999`, never `1998.9999`.
 * Amounts finer than the currency allows are rounded half-up, which is what the PSP will charge.
 */
export function toMinorUnits(amount: BigNumberInput, currencyCode: string): number {
  const exponent = currencyExponent(currencyCode)
  const major = toDecimal(amount)
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
  // Exact without decimal arithmetic: IEEE division is correctly rounded, so this is the double
  // nearest the exact quotient, the same number the decimal string would parse to.
  return minor / 10 ** currencyExponent(currencyCode)
}
