import { toRawBody, singleHeader } from "./raw-body"

describe("raw body", () => {
  it("takes a Buffer, a string and the Redis event bus's serialised Buffer to the same bytes", () => {
    const bytes = Buffer.from('{"a": 1}')
    expect(toRawBody(bytes).equals(bytes)).toBe(true)
    expect(toRawBody('{"a": 1}').equals(bytes)).toBe(true)
    expect(toRawBody(JSON.parse(JSON.stringify(bytes))).equals(bytes)).toBe(true)
  })

  it("refuses a parsed object: its signature cannot be checked", () => {
    expect(() => toRawBody({ a: 1 })).toThrow("not the raw request body")
    expect(() => toRawBody(undefined)).toThrow("not the raw request body")
  })

  it("reads a single header value", () => {
    expect(singleHeader({ "stripe-signature": "t=1" }, "Stripe-Signature")).toBe("t=1")
    expect(singleHeader({ "stripe-signature": ["a", "b"] }, "stripe-signature")).toBeUndefined()
  })
})
