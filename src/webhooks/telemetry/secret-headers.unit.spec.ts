import { IncomingMessage } from "node:http"
import { Socket } from "node:net"
import { dropSignatureHeaders, isSecretHeader, withoutSecretHeaders, withoutSecretRawHeaders } from "./secret-headers"

/** A request as Node's parser leaves it: parsed headers (lower-case) and the raw list, as the sender wrote the names. */
function request(raw: string[]): IncomingMessage {
  const req = new IncomingMessage(new Socket())
  req.rawHeaders = raw
  for (let i = 0; i < raw.length; i += 2) {
    req.headers[raw[i].toLowerCase()] = raw[i + 1]
  }
  return req
}

describe("dropSignatureHeaders", () => {
  it("removes Stripe's and Standard Webhooks' signatures from headers and rawHeaders, whatever the names' case, and keeps the rest", () => {
    const req = request([
      "Host",
      "shop.example",
      "Stripe-Signature",
      "t=1,v1=abc",
      "Content-Type",
      "application/json",
      "WEBHOOK-SIGNATURE",
      "v1,c2ln",
      "webhook-id",
      "msg_1",
    ])
    const rawHeaders = req.rawHeaders
    dropSignatureHeaders(req)
    expect(req.headers).toEqual({ host: "shop.example", "content-type": "application/json", "webhook-id": "msg_1" })
    expect(req.rawHeaders).toEqual(["Host", "shop.example", "Content-Type", "application/json", "webhook-id", "msg_1"])
    // In place: whoever read the array before sees it without the signatures too.
    expect(rawHeaders).toBe(req.rawHeaders)
    expect(JSON.stringify(req.rawHeaders)).not.toMatch(/v1=abc|c2ln/)
  })

  it("copies raw headers without the secrets, leaving the original as it was", () => {
    const raw = ["stripe-signature", "t=1,v1=abc", "Authorization", "Basic c2s=", "Accept", "*/*"]
    expect(withoutSecretRawHeaders(raw)).toEqual(["Accept", "*/*"])
    expect(raw).toHaveLength(6)
  })

  it("names as secret the signatures of any PSP and the caller's credentials, never what is needed to read a trace", () => {
    const secret = [
      "Stripe-Signature",
      "webhook-signature",
      "x-paystack-signature",
      "Authorization",
      "Cookie",
      "x-medusa-access-token",
      "x-api-key",
      "x-publishable-api-key",
    ]
    for (const name of secret) {
      expect([name, isSecretHeader(name)]).toEqual([name, true])
    }
    expect(
      withoutSecretHeaders({
        host: "shop",
        "content-type": "application/json",
        "webhook-id": "msg_1",
        authorization: "Basic x",
        cookie: "a=b",
      }),
    ).toEqual({
      host: "shop",
      "content-type": "application/json",
      "webhook-id": "msg_1",
    })
  })
})
