import { formatAmount, minorUnitsOf } from "./amounts"

describe("formatAmount", () => {
  it.each([
    [10, "usd", "10.00 USD"],
    [1000, "JPY", "1000 JPY"],
    [1.5, "kwd", "1.500 KWD"],
    [25, "zar", "25.00 ZAR"],
    [3, "xyz", "3.00 XYZ"],
  ])("%s %s reads %s", (amount, currency, text) => {
    expect(formatAmount(amount, currency)).toBe(text)
  })
})

describe("minorUnitsOf", () => {
  it.each([
    [10.5, "usd", 1050],
    [19.99, "eur", 1999],
    [1000, "jpy", 1000],
    [1.234, "kwd", 1234],
  ])("%s %s is %s in minor units", (amount, currency, minor) => {
    expect(minorUnitsOf(amount, currency)).toBe(minor)
  })
})
