import { MedusaError } from "@medusajs/framework/utils"
import { errorMessage } from "./errors"

describe("errorMessage", () => {
  it("reads an Error's message, a MedusaError's included", () => {
    expect(errorMessage(new Error("lock timed out"))).toBe("lock timed out")
    expect(errorMessage(new MedusaError(MedusaError.Types.NOT_FOUND, "Cart not found"))).toBe("Cart not found")
  })

  it("never answers [object Object]: a workflow's error list, an object's message, else its JSON", () => {
    expect(errorMessage([{ action: "capture", error: new Error("declined") }, { error: { message: "second" } }])).toBe("declined; second")
    expect(errorMessage({ message: "plain object" })).toBe("plain object")
    expect(errorMessage({ code: 42 })).toBe('{"code":42}')
    expect(errorMessage("text")).toBe("text")
  })

  it("caps a long message", () => {
    expect(errorMessage(new Error("x".repeat(1000)), 10)).toBe(`${"x".repeat(10)}…`)
  })
})
