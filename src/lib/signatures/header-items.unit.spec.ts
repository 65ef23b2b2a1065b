import { headerItems } from "./header-items"

describe("headerItems", () => {
  it("reads Stripe's t= and every v1=, in order, skipping other schemes", () => {
    const header = "t=1700000000,v1=aa11,v0=ignored,v1=bb22"
    expect(headerItems(header, ",", "t=")).toEqual(["1700000000"])
    expect(headerItems(header, ",", "v1=")).toEqual(["aa11", "bb22"])
  })

  it("reads every v1, of a Standard Webhooks header", () => {
    expect(headerItems("v1,Zm9v v1a,bad v2,no v1,YmFy", " ", "v1,")).toEqual(["Zm9v", "YmFy"])
  })

  it("matches the prefix only at the start of an item, and skips empty values", () => {
    expect(headerItems(" v1=aa,xv1=bb,v1=,v1", ",", "v1=")).toEqual([])
    expect(headerItems("", ",", "t=")).toEqual([])
    expect(headerItems(",,t=5,", ",", "t=")).toEqual(["5"])
  })
})
