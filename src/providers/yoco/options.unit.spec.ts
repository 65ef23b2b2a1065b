import { MedusaError } from "@medusajs/framework/utils"
import { parseYocoOptions, redirectUrlFor } from "./options"

const webhookSecret = `whsec_${Buffer.from("a".repeat(24)).toString("base64")}`
const valid = { secretKey: "sk_test_abc123", webhookSecret }

function messageOf(input: unknown): string {
  try {
    parseYocoOptions(input)
    return "no error"
  } catch (error) {
    expect(error).toBeInstanceOf(MedusaError)
    expect((error as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
    return (error as Error).message
  }
}

describe("parseYocoOptions", () => {
  it("applies the defaults and derives the mode from the key", () => {
    expect(parseYocoOptions(valid)).toEqual({
      ...valid,
      webhookTolerance: 180,
      apiBaseUrl: "https://payments.yoco.com/api",
      mode: "test",
    })
    expect(parseYocoOptions({ ...valid, secretKey: "sk_live_xyz" }).mode).toBe("live")
  })

  it("never mutates the input", () => {
    const input = { ...valid }
    const frozen = Object.freeze(input)
    parseYocoOptions(frozen)
    expect(input).toEqual(valid)
  })

  it("accepts a list of webhook secrets for rotation and trims a trailing slash off apiBaseUrl", () => {
    const other = `whsec_${Buffer.from("b".repeat(24)).toString("base64")}`
    const options = parseYocoOptions({ ...valid, webhookSecret: [webhookSecret, other], apiBaseUrl: "http://127.0.0.1:4010/api/" })
    expect(options.webhookSecret).toEqual([webhookSecret, other])
    expect(options.apiBaseUrl).toBe("http://127.0.0.1:4010/api")
  })

  it.each([
    [{ webhookSecret }, "Required option `secretKey` is missing in the Yoco provider"],
    [{ secretKey: "sk_test_abc" }, "Required option `webhookSecret` is missing in the Yoco provider"],
    [undefined, "Required option `secretKey` is missing in the Yoco provider"],
  ])("names a missing option (%#)", (input, message) => {
    expect(messageOf(input)).toBe(message)
  })

  it.each([
    [{ ...valid, secretKey: "pk_test_abc" }, "`secretKey`", "sk_test_"],
    [{ ...valid, webhookSecret: "not-a-secret" }, "`webhookSecret`", "whsec_"],
    [{ ...valid, webhookSecret: [] }, "`webhookSecret`", ""],
    [{ ...valid, webhookSecret: [webhookSecret, "whsec_!!"] }, "`webhookSecret`", "whsec_"],
    // Base64 that does not decode (a character lost in a copy): refused at boot, not at every delivery.
    [{ ...valid, webhookSecret: "whsec_YWJjZGVmZ2hp" + "x" }, "`webhookSecret`", "whsec_"],
    [{ ...valid, webhookTolerance: 0 }, "`webhookTolerance`", ""],
    [{ ...valid, webhookTolerance: 600 }, "`webhookTolerance`", ""],
    [{ ...valid, webhookTolerance: "180" }, "`webhookTolerance`", "number"],
    [{ ...valid, apiBaseUrl: "ftp://example.com" }, "`apiBaseUrl`", ""],
    [{ ...valid, successUrl: "not a url" }, "`successUrl`", "{session_id}"],
    [{ ...valid, cancelUrl: "javascript:alert(1)" }, "`cancelUrl`", "http"],
  ])("names an invalid option (%#)", (input, option, hint) => {
    const message = messageOf(input)
    expect(message).toContain(`Invalid option ${option} in the Yoco provider`)
    expect(message).toContain(hint)
  })

  it("never echoes the secret key or webhook secret in its message", () => {
    const message = messageOf({ secretKey: "pk_live_supersecret", webhookSecret: "whsec_!!leak" })
    expect(message).not.toContain("supersecret")
    expect(message).not.toContain("leak")
  })

  it("accepts redirect URLs with a {session_id} placeholder", () => {
    const options = parseYocoOptions({ ...valid, successUrl: "https://shop.example/checkout/{session_id}/done?x=1" })
    expect(redirectUrlFor(options.successUrl, "payses_01")).toBe("https://shop.example/checkout/payses_01/done?x=1")
    expect(redirectUrlFor(undefined, "payses_01")).toBeUndefined()
  })
})
