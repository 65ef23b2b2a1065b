import { randomBytes } from "node:crypto"
import { Webhook as StandardWebhook } from "standardwebhooks"
import { Webhook as SvixWebhook } from "svix"
import { isWebhookVerificationError, WebhookVerificationReason } from "../../lib/errors"
import { signStandardWebhook, verifyStandardWebhook, StandardWebhookVerifyInput } from "./standard-webhooks"

const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`
const secret = newSecret()
const otherSecret = newSecret()
const body = JSON.stringify({ id: "evt_1", type: "payment.succeeded", payload: { amount: 1999 } })
const nowSeconds = () => Math.floor(Date.now() / 1000)

function verify(overrides: Partial<StandardWebhookVerifyInput> = {}) {
  return verifyStandardWebhook({
    rawBody: Buffer.from(body),
    headers: signStandardWebhook({ id: "msg_1", payload: body, secret }),
    secrets: [secret],
    toleranceSeconds: 180,
    ...overrides,
  })
}

function reasonOf(run: () => unknown): WebhookVerificationReason | "no error" | "other error" {
  try {
    run()
    return "no error"
  } catch (error) {
    return isWebhookVerificationError(error) ? error.reason : "other error"
  }
}

describe("verifyStandardWebhook", () => {
  it("accepts a delivery signed with the configured secret and returns the parsed body", () => {
    const result = verify()
    expect(result.id).toBe("msg_1")
    expect(Math.abs(result.timestamp - nowSeconds())).toBeLessThanOrEqual(1)
    expect(result.payload).toEqual(JSON.parse(body))
  })

  it("accepts the body as a string", () => {
    const headers = signStandardWebhook({ id: "msg_2", payload: body, secret })
    expect(verify({ rawBody: body, headers }).id).toBe("msg_2")
  })

  it("reads headers case-insensitively and as single-element arrays (Node's header map)", () => {
    const headers = signStandardWebhook({ id: "msg_3", payload: body, secret })
    const result = verify({
      headers: {
        "Webhook-Id": headers["webhook-id"],
        "webhook-timestamp": [headers["webhook-timestamp"]],
        "WEBHOOK-SIGNATURE": headers["webhook-signature"],
      },
    })
    expect(result.id).toBe("msg_3")
  })

  it("rejects a tampered body", () => {
    expect(reasonOf(() => verify({ rawBody: Buffer.from(body.replace("1999", "1"), "utf8") }))).toBe("no_matching_signature")
  })

  it("rejects a tampered webhook-id (the id is part of the signed content)", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret })
    expect(reasonOf(() => verify({ headers: { ...headers, "webhook-id": "msg_2" } }))).toBe("no_matching_signature")
  })

  it("rejects a signature made with another secret", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret: otherSecret })
    expect(reasonOf(() => verify({ headers }))).toBe("no_matching_signature")
  })

  it("accepts a signature made with the second secret of a rotation", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret: otherSecret })
    expect(verify({ headers, secrets: [secret, otherSecret] }).id).toBe("msg_1")
  })

  it("accepts a header carrying several signatures when one of them is valid", () => {
    const foreign = signStandardWebhook({ id: "msg_1", payload: body, secret: newSecret() })["webhook-signature"]
    const valid = signStandardWebhook({ id: "msg_1", payload: body, secret })
    const headers = { ...valid, "webhook-signature": `v1a,${"A".repeat(20)} ${foreign} ${valid["webhook-signature"]}` }
    expect(verify({ headers }).id).toBe("msg_1")
  })

  it("signs with every given secret, space-separated (as during a rotation)", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret: [otherSecret, secret] })
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2)
    expect(verify({ headers }).id).toBe("msg_1")
  })

  it("rejects a timestamp outside 180 s even though the reference libraries (±300 s) would accept it", () => {
    const timestamp = nowSeconds() - 200
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret, timestamp })
    expect(new SvixWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
    expect(reasonOf(() => verify({ headers }))).toBe("timestamp_outside_tolerance")
    expect(
      reasonOf(() => verify({ headers: signStandardWebhook({ id: "m", payload: body, secret, timestamp: nowSeconds() + 200 }) })),
    ).toBe("timestamp_outside_tolerance")
  })

  it("checks the tolerance against the injected clock", () => {
    const timestamp = nowSeconds()
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret, timestamp })
    expect(reasonOf(() => verify({ headers, now: (timestamp + 181) * 1000 }))).toBe("timestamp_outside_tolerance")
    expect(verify({ headers, now: (timestamp + 179) * 1000 }).timestamp).toBe(timestamp)
  })

  it("refuses a signature the library finds too old on the real clock, even when the injected clock calls it fresh", () => {
    const timestamp = nowSeconds() - 1000
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret, timestamp })
    expect(reasonOf(() => verify({ headers, now: timestamp * 1000 }))).toBe("timestamp_outside_tolerance")
  })

  it("rejects a delivery with no headers at all, naming them", () => {
    expect(() => verify({ headers: {} })).toThrow("webhook-id, webhook-timestamp, webhook-signature")
  })

  it("rejects malformed headers before any cryptography", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret })
    expect(reasonOf(() => verify({ headers: { ...headers, "webhook-timestamp": "yesterday" } }))).toBe("malformed_header")
    expect(reasonOf(() => verify({ headers: { ...headers, "webhook-signature": "v0,abc" } }))).toBe("malformed_header")
    expect(reasonOf(() => verify({ headers: { ...headers, "webhook-timestamp": ["1", "2"] } }))).toBe("missing_header")
  })

  it("reports a signed body that is not JSON as malformed_body", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: "not json", secret })
    expect(reasonOf(() => verify({ rawBody: "not json", headers }))).toBe("malformed_body")
  })

  it("verifies a signature produced by the svix library", () => {
    const timestamp = new Date()
    const signature = new SvixWebhook(secret).sign("msg_svix", timestamp, body)
    const headers = {
      "webhook-id": "msg_svix",
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": signature,
    }
    expect(verify({ headers }).id).toBe("msg_svix")
  })

  it("produces signatures the svix library accepts (the twin is the real scheme)", () => {
    const headers = signStandardWebhook({ id: "msg_1", payload: body, secret })
    expect(new SvixWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it("agrees with the standardwebhooks package on signatures it makes, and on tampered ones", () => {
    const reference = new StandardWebhook(secret)
    const timestamp = new Date(nowSeconds() * 1000)
    const headers = {
      "webhook-id": "msg_ref",
      "webhook-timestamp": String(timestamp.getTime() / 1000),
      "webhook-signature": reference.sign("msg_ref", timestamp, body),
    }
    expect(verify({ headers }).id).toBe("msg_ref")
    expect(headers["webhook-signature"]).toBe(
      signStandardWebhook({ id: "msg_ref", payload: body, secret, timestamp: timestamp.getTime() / 1000 })["webhook-signature"],
    )
    const tampered = body.replace("evt_1", "evt_2")
    expect(() => reference.verify(tampered, headers)).toThrow()
    expect(reasonOf(() => verify({ rawBody: tampered, headers }))).toBe("no_matching_signature")
  })

  it("hashes the raw bytes: a body with non-ASCII text verifies as sent", () => {
    const unicode = JSON.stringify({ id: "evt_u", type: "payment.succeeded", payload: { note: "Café – R 19,99 ✓" } })
    const headers = signStandardWebhook({ id: "msg_u", payload: unicode, secret })
    expect(new StandardWebhook(secret).verify(unicode, headers)).toEqual(JSON.parse(unicode))
    expect(verify({ rawBody: Buffer.from(unicode, "utf8"), headers }).id).toBe("msg_u")
  })

  it("refuses to run without a secret, and names a secret that does not decode without showing it", () => {
    expect(reasonOf(() => verify({ secrets: [] }))).toBe("other error")
    expect(() => verify({ secrets: ["whsec_!!!"] })).toThrow("Webhook secret #1 is not a valid")
    expect(() => verify({ secrets: ["whsec_!!!"] })).not.toThrow("!!!")
  })
})
