import { decodeForm } from "./params"

describe("decodeForm", () => {
  it("reads Stripe's bracket notation into nested objects and arrays", () => {
    expect(
      decodeForm("amount=2500&metadata[session_id]=payses_1&metadata[store_marker]=ab&expand[]=latest_charge&expand[]=customer"),
    ).toEqual({
      amount: "2500",
      metadata: { session_id: "payses_1", store_marker: "ab" },
      expand: ["latest_charge", "customer"],
    })
    expect(
      decodeForm(
        "expand[0]=a&expand[1]=b&automatic_payment_methods[enabled]=true&payment_method_options[card][request_three_d_secure]=any",
      ),
    ).toEqual({
      expand: ["a", "b"],
      automatic_payment_methods: { enabled: "true" },
      payment_method_options: { card: { request_three_d_secure: "any" } },
    })
  })

  it("keeps an emptied value (metadata[k]= removes k) and decodes escapes", () => {
    expect(decodeForm("metadata[drop_me]=&description=caf%C3%A9+au+lait")).toEqual({
      metadata: { drop_me: "" },
      description: "café au lait",
    })
  })
})
