import { PaymentActions } from "@medusajs/framework/utils"
import type { DeliveryRecordInput } from "../../modules/payment-webhooks/types"
import { RecordingLogger } from "../../testing/recording-logger"
import { foreignEventId, headersForVerification, isVerificationRefusal, verifyForeign, type ForeignProvider } from "./foreign-delivery"
import { receiveDelivery, type EdgeInbox } from "./receive-delivery"

const body = JSON.stringify({ id: "evt_1", type: "payment_intent.succeeded" })
const paid: ForeignProvider = {
  getWebhookActionAndData: async () => ({ action: PaymentActions.SUCCESSFUL, data: { session_id: "payses_1", amount: 25 } }),
}
const refusing: ForeignProvider = {
  getWebhookActionAndData: async () => {
    throw new Error("No signatures found matching the expected signature for payload")
  },
}
const slow: ForeignProvider = {
  getWebhookActionAndData: () => new Promise((resolve) => setTimeout(() => resolve({ action: PaymentActions.SUCCESSFUL }), 200)),
}
const unreachable: ForeignProvider = {
  getWebhookActionAndData: async () => {
    throw new Error("connect ECONNREFUSED 10.0.0.1:443")
  },
}

/** An inbox that keeps what it is asked to record, with `waiting` unverified deliveries already there. */
function inboxWith(waiting = 0) {
  const recorded: DeliveryRecordInput[] = []
  const inbox: EdgeInbox = {
    inboxOptions: { foreignVerifyTimeoutMs: 50, unverifiedLimit: 2 },
    recordDelivery: async (input: DeliveryRecordInput) => (recorded.push(input), { id: `pwhevt_${recorded.length}`, duplicate: false }),
    unverifiedWaiting: async () => waiting,
  }
  return { recorded, inbox }
}

function deliver(provider: ForeignProvider, waiting = 0) {
  const { recorded, inbox } = inboxWith(waiting)
  const source = { kind: "foreign" as const, key: "stripe_medusa", provider }
  const delivery = {
    providerKey: "stripe_medusa",
    rawBody: Buffer.from(body),
    parsedBody: JSON.parse(body),
    headers: { "stripe-signature": "t=1,v1=abc", authorization: "Basic c2VjcmV0", cookie: "session=1" },
  }
  return receiveDelivery({ inbox, source, logger: new RecordingLogger() }, delivery).then((answer) => ({ answer, recorded }))
}

describe("the edge, for a provider of another package", () => {
  it("records what the provider mapped, by the PSP's event id, and answers 200", async () => {
    const { answer, recorded } = await deliver(paid)
    expect(answer.status).toBe(200)
    expect(recorded).toEqual([
      expect.objectContaining({
        event_id: "evt_1",
        event_type: "payment_intent.succeeded",
        action: "captured",
        session_id: "payses_1",
        amount: 25,
      }),
    ])
    expect(recorded[0].verified).toBeUndefined()
  })

  it("answers 400 and records nothing when the provider refuses the signature", async () => {
    const { answer, recorded } = await deliver(refusing)
    expect(answer).toMatchObject({ status: 400, body: { reason: "provider_refused" } })
    expect(recorded).toEqual([])
  })

  it("records a delivery the provider could not verify in time unverified, with its headers but never the caller's credentials", async () => {
    for (const provider of [slow, unreachable]) {
      const { answer, recorded } = await deliver(provider)
      expect(answer.status).toBe(200)
      expect(recorded).toEqual([expect.objectContaining({ verified: false, verify_headers: { "stripe-signature": "t=1,v1=abc" } })])
    }
  })

  it("answers 503 rather than record one more unverified delivery once the provider's limit is reached", async () => {
    const { answer, recorded } = await deliver(slow, 2)
    expect(answer.status).toBe(503)
    expect(recorded).toEqual([])
  })
})

describe("foreign delivery helpers", () => {
  it("dedupes by the body's event id, else by the body's hash", () => {
    expect(foreignEventId({ id: "evt_9" }, "abc")).toBe("evt_9")
    expect(foreignEventId({ event: "order.paid" }, "abc")).toBe("sha256:abc")
    expect(foreignEventId(undefined, "abc")).toBe("sha256:abc")
  })

  it("tells a refused signature from a verification that could not be made", () => {
    expect(isVerificationRefusal(new Error("No signatures found matching the expected signature for payload"))).toBe(true)
    expect(isVerificationRefusal(new SyntaxError("Unexpected token < in JSON at position 0"))).toBe(true)
    expect(isVerificationRefusal(new Error("connect ECONNREFUSED 10.0.0.1:443"))).toBe(false)
  })

  it("keeps no credentials of the caller among the headers kept for verification", () => {
    expect(
      headersForVerification({ Authorization: "x", cookie: "y", "x-medusa-key": "z", "webhook-id": "msg_1", multi: ["a", "b"] }),
    ).toEqual({
      "webhook-id": "msg_1",
      multi: "a, b",
    })
  })

  it("gives up waiting at the deadline, leaving the provider to finish on its own", async () => {
    expect(await verifyForeign(slow, { data: {}, rawData: Buffer.from(body), headers: {} }, 10)).toEqual({ kind: "late" })
  })
})
