import Stripe from "stripe"
import { WebhookVerificationError } from "../../lib/errors"
import { signStripePayload, verifyStripeSignature } from "./signature"

const SECRET = "whsec_current"
const OLD_SECRET = "whsec_previous"
const NOW = 1_800_000_000_000
const body = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", data: { object: {} } })

function verify(rawBody: string | Buffer, header: string | undefined, secrets: string[] = [SECRET], now = NOW) {
  return verifyStripeSignature({ rawBody: Buffer.from(rawBody), header, secrets, toleranceSeconds: 300, now })
}

function reasonOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return error.reason
    }
    throw error
  }
  return "accepted"
}

describe("Stripe signature verification", () => {
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: NOW / 1000 })

  it("accepts a header made by the Stripe SDK and returns the event", () => {
    const { event, signedAt } = verify(body, header)
    expect(event.id).toBe("evt_1")
    expect(signedAt).toBe(NOW / 1000)
  })

  it("refuses a tampered body", () => {
    expect(reasonOf(() => verify(body.replace("evt_1", "evt_2"), header))).toBe("no_matching_signature")
  })

  it("refuses a re-serialised body (whitespace changed)", () => {
    const reserialised = JSON.stringify(JSON.parse(body), null, 2)
    expect(reasonOf(() => verify(reserialised, header))).toBe("no_matching_signature")
  })

  it("refuses a signature older than the tolerance, as the SDK measures it on the injected clock", () => {
    expect(reasonOf(() => verify(body, header, [SECRET], NOW + 301_000))).toBe("timestamp_outside_tolerance")
    expect(reasonOf(() => verify(body, header, [SECRET], NOW + 299_000))).toBe("accepted")
  })

  it("reports an expired signature as expired even when another configured secret does not match", () => {
    expect(reasonOf(() => verify(body, header, ["whsec_other", SECRET], NOW + 301_000))).toBe("timestamp_outside_tolerance")
  })

  it("refuses the wrong secret", () => {
    expect(reasonOf(() => verify(body, header, ["whsec_other"]))).toBe("no_matching_signature")
  })

  it("accepts a delivery signed with the second secret of a rotation", () => {
    const oldHeader = signStripePayload({ payload: body, secret: OLD_SECRET, timestamp: NOW / 1000 })
    expect(verify(body, oldHeader, [SECRET, OLD_SECRET]).event.id).toBe("evt_1")
  })

  it("accepts a header with one v1 per secret while Stripe rolls the secret", () => {
    const rolled = signStripePayload({ payload: body, secret: [OLD_SECRET, SECRET], timestamp: NOW / 1000 })
    expect(rolled.split(",").filter((part) => part.startsWith("v1="))).toHaveLength(2)
    expect(verify(body, rolled).event.id).toBe("evt_1")
  })

  it("refuses missing and malformed headers", () => {
    expect(reasonOf(() => verify(body, undefined))).toBe("missing_header")
    expect(reasonOf(() => verify(body, "v1=abc"))).toBe("malformed_header")
    expect(reasonOf(() => verify(body, `t=${NOW / 1000}`))).toBe("malformed_header")
    expect(reasonOf(() => verify(body, `t=${NOW / 1000},v0=abc`))).toBe("malformed_header")
  })

  it("refuses a signed body that is not a JSON event", () => {
    const notJson = "hello"
    const signed = signStripePayload({ payload: notJson, secret: SECRET, timestamp: NOW / 1000 })
    expect(reasonOf(() => verify(notJson, signed))).toBe("malformed_body")
    const notEvent = JSON.stringify({ hello: "world" })
    const signedNotEvent = signStripePayload({ payload: notEvent, secret: SECRET, timestamp: NOW / 1000 })
    expect(reasonOf(() => verify(notEvent, signedNotEvent))).toBe("malformed_body")
  })

  it("signs as Stripe does: the SDK's constructEvent accepts the header it makes", () => {
    const signed = signStripePayload({ payload: body, secret: SECRET, timestamp: NOW / 1000 })
    expect(signed).toBe(Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: NOW / 1000 }))
    expect(Stripe.webhooks.constructEvent(body, signed, SECRET, 10 ** 9).id).toBe("evt_1")
  })

  it("hashes the raw bytes: a body with non-ASCII text verifies as sent", () => {
    const unicode = JSON.stringify({ id: "evt_u", object: "event", type: "charge.refunded", data: { object: { description: "Café – ✓" } } })
    const signed = Stripe.webhooks.generateTestHeaderString({ payload: unicode, secret: SECRET, timestamp: NOW / 1000 })
    expect(verify(Buffer.from(unicode, "utf8"), signed).event.id).toBe("evt_u")
  })

  it("never puts the secret in its message", () => {
    try {
      verify(body, header, ["whsec_do_not_print"])
    } catch (error) {
      expect(String(error)).not.toContain("whsec_do_not_print")
    }
  })
})
