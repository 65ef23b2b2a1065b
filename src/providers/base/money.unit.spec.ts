import { BigNumber } from "@medusajs/framework/utils"
import Decimal from "bignumber.js"
import { currencyExponent, fromMinorUnits, toMinorUnits } from "./money"

describe("minor units", () => {
  it.each([
    ["usd", 19.99, 1999],
    ["usd", 0.1 + 0.2, 30],
    ["usd", 1234567.89, 123456789],
    ["eur", 0, 0],
    ["usd", 0.01, 1],
    ["jpy", 1500, 1500],
    ["krw", 99999, 99999],
    ["kwd", 12.34, 12340],
    ["bhd", 0.5, 500],
    ["kwd", 1.235, 1240],
    ["zar", 2, 200],
  ])("%s %p → %p", (currency, major, minor) => {
    expect(toMinorUnits(major, currency)).toBe(minor)
  })

  it("accepts every form Medusa passes amounts in", () => {
    expect(toMinorUnits("10.50", "usd")).toBe(1050)
    expect(toMinorUnits(new BigNumber(10.5), "usd")).toBe(1050)
    expect(toMinorUnits({ value: "10.5", precision: 20 }, "USD")).toBe(1050)
  })

  it.each([
    ["usd", 19.99],
    ["usd", 0.07],
    ["usd", 1e9 + 0.01],
    ["jpy", 1500],
    ["krw", 1],
    ["kwd", 12.34],
    ["omr", 0.1],
    ["tnd", 999.99],
  ])("%s %p goes to the PSP and back unchanged", (currency, major) => {
    expect(fromMinorUnits(toMinorUnits(major, currency), currency)).toBe(major)
  })

  it("reads minor units back as the number their exact decimal spells, for any whole amount", () => {
    const samples = [0, 1, 7, 99, 101, 1999, 123456789, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1]
    for (let seed = 1; seed < 5000; seed++) {
      samples.push(Math.floor(Math.abs(Math.sin(seed) * 1e4) * 10 ** (seed % 12)) % Number.MAX_SAFE_INTEGER)
    }
    for (const currency of ["usd", "jpy", "kwd"]) {
      for (const minor of samples) {
        const exact = Number(new Decimal(minor).shiftedBy(-currencyExponent(currency)).toFixed())
        expect(fromMinorUnits(minor, currency)).toBe(exact)
      }
    }
  })

  it("knows the exponents Stripe documents", () => {
    expect(currencyExponent("JPY")).toBe(0)
    expect(currencyExponent("kwd")).toBe(3)
    expect(currencyExponent("zar")).toBe(2)
  })

  it("refuses negative, non-finite and fractional minor amounts", () => {
    expect(() => toMinorUnits(-1, "usd")).toThrow("not a valid payment amount")
    expect(() => toMinorUnits(Number.NaN, "usd")).toThrow()
    expect(() => fromMinorUnits(10.5, "usd")).toThrow("not a whole number")
  })
})
