import { StripeProviderService } from "./service"
import { parseStripeOptions } from "./options"

describe("Stripe options", () => {
  const valid = { apiKey: "sk_test_1", webhookSecret: "whsec_1" }

  it("applies the documented defaults without touching the input", () => {
    const input = { ...valid }
    expect(parseStripeOptions(input)).toEqual({
      ...valid,
      capture: false,
      webhookTolerance: 300,
      automaticPaymentMethods: false,
    })
    expect(input).toEqual(valid)
  })

  it.each([
    [{ webhookSecret: "whsec_1" }, "Required option `apiKey` is missing in the Stripe provider"],
    [{ apiKey: "sk_test_1" }, "Required option `webhookSecret` is missing in the Stripe provider"],
    [{ ...valid, webhookSecret: [] }, "Invalid option `webhookSecret`"],
    [{ ...valid, webhookSecret: "" }, "Invalid option `webhookSecret`"],
    [{ ...valid, webhookSecret: "whsec_a b" }, "Invalid option `webhookSecret`"],
    [{ ...valid, webhookSecret: ["whsec_a", "  "] }, "Invalid option `webhookSecret.1`"],
    [{ ...valid, webhookTolerance: 0 }, "Invalid option `webhookTolerance`"],
    [{ ...valid, capture: "yes" }, "Invalid option `capture`"],
    [{ ...valid, apiBaseUrl: "not a url" }, "Invalid option `apiBaseUrl`"],
  ])("refuses %p at boot", (options, message) => {
    expect(() => StripeProviderService.validateOptions(options)).toThrow(message)
  })

  it("trims each secret, as a list split from an environment line carries spaces", () => {
    expect(parseStripeOptions({ ...valid, webhookSecret: ["whsec_a", " whsec_b\n"] }).webhookSecret).toEqual(["whsec_a", "whsec_b"])
  })

  it("accepts a list of secrets for a rotation", () => {
    expect(parseStripeOptions({ ...valid, webhookSecret: ["whsec_new", "whsec_old"] }).webhookSecret).toEqual(["whsec_new", "whsec_old"])
  })
})
