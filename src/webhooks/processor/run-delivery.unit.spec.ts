import type { ClaimedDelivery, DeliveryVerdict, InboxStatus } from "../../modules/payment-webhooks/types"
import { RecordingLogger } from "../../testing/recording-logger"
import type { MappedWebhookEvent } from "../../lib/webhook-result"
import { AttemptFailed, type Decision, type ProcessResult } from "./result"
import { runDelivery, type ProcessorInbox, type ProcessorPorts } from "./run-delivery"

/** An inbox holding one row in memory, with the same rules as the real one: only the claim's holder settles, attempts are counted. */
class FakeInbox implements ProcessorInbox {
  readonly inboxOptions = { leaseSeconds: 600, maxAttempts: 3 }
  readonly settled: DeliveryVerdict[] = []
  readonly retries: Array<{ reason: string; needs_attention?: boolean }> = []
  status: InboxStatus = "received"
  attempts = 0
  holder: string | null = null
  /** Set to make the next settle find its claim gone (another processor took the row after the lease ran out). */
  loseClaim = false

  async claim(id: string): Promise<ClaimedDelivery | null> {
    if (this.status !== "received" || this.holder) {
      return null
    }
    this.attempts += 1
    this.holder = `token-${this.attempts}`
    return {
      id,
      token: this.holder,
      provider_id: "stripe_stripe",
      event_id: "evt_1",
      event_type: "payment_intent.succeeded",
      session_id: null,
      action: null,
      amount: null,
      verified: true,
      verify_headers: null,
      status: "received",
      source: "webhook",
      attempts: this.attempts,
      last_error: null,
      received_at: new Date(),
      raw_body: "{}",
      needs_attention: false,
      failed_before: false,
      processed_before: false,
    }
  }
  async renewClaim(claim: ClaimedDelivery) {
    return this.holder === claim.token
  }
  async settle(claim: ClaimedDelivery, verdict: DeliveryVerdict) {
    if (this.loseClaim || this.holder !== claim.token) {
      return false
    }
    this.settled.push(verdict)
    this.status = verdict.status
    this.holder = null
    return true
  }
  async retryLater(claim: ClaimedDelivery, reason: string, learnt: Pick<DeliveryVerdict, "needs_attention">) {
    if (this.holder !== claim.token) {
      return null
    }
    if (claim.attempts >= this.inboxOptions.maxAttempts) {
      return (await this.settle(claim, { status: "failed", reason, needs_attention: learnt.needs_attention })) ? "failed" : null
    }
    this.retries.push({ reason, needs_attention: learnt.needs_attention })
    this.holder = null
    return "received"
  }
}

const payment: MappedWebhookEvent = {
  action: "captured",
  psp_reference: "pi_1",
  currency_code: "usd",
  data: { session_id: "payses_1", amount: 25 },
}

function ports(inbox: FakeInbox, attempt: () => Promise<Decision>, taken?: MappedWebhookEvent) {
  const told = { attention: [] as string[], mismatches: 0, ended: [] as Array<{ result: ProcessResult; payment?: MappedWebhookEvent }> }
  const wired: ProcessorPorts = {
    inbox,
    logger: new RecordingLogger(),
    inTurn: (work) => work(),
    attempt,
    paymentTaken: async () => taken,
    reportAttention: async (_claim, attention) => void told.attention.push(attention.reason),
    reportAmountMismatch: async () => void (told.mismatches += 1),
    attemptEnded: async (_claim, result, paid) => (told.ended.push({ result, payment: paid }), result),
  }
  return { wired, told }
}

describe("runDelivery", () => {
  it("settles the row with the attempt's verdict and reports it once", async () => {
    const inbox = new FakeInbox()
    const { wired, told } = ports(inbox, async () => ({ verdict: { status: "processed", reason: null } }))
    expect(await runDelivery(wired, "pwhevt_1")).toEqual({ status: "processed" })
    expect(inbox.settled).toEqual([{ status: "processed", reason: null }])
    expect(told.ended).toHaveLength(1)
  })

  it("waits for one of the live turns, unless told to run outside them (a bulk replay, under its own limit)", async () => {
    const inbox = new FakeInbox()
    const { wired } = ports(inbox, async () => ({ verdict: { status: "processed", reason: null } }))
    let liveTurns = 0
    wired.inTurn = (work) => {
      liveTurns += 1
      return work()
    }
    expect(await runDelivery(wired, "pwhevt_1", { evenIfBackingOff: true, outsideLiveTurns: true })).toEqual({ status: "processed" })
    expect(liveTurns).toBe(0)
    inbox.status = "received"
    expect(await runDelivery(wired, "pwhevt_1")).toEqual({ status: "processed" })
    expect(liveTurns).toBe(1)
  })

  it("skips a row it cannot claim, and does nothing else", async () => {
    const inbox = new FakeInbox()
    inbox.holder = "another-processor"
    const attempt = jest.fn()
    const { wired, told } = ports(inbox, attempt)
    expect(await runDelivery(wired, "pwhevt_1")).toEqual({ status: "skipped" })
    expect(attempt).not.toHaveBeenCalled()
    expect(told.ended).toEqual([])
  })

  it("gives a failed attempt back with what it learnt, and fails it for good, with the payment reported, once its attempts are spent", async () => {
    const inbox = new FakeInbox()
    const { wired, told } = ports(inbox, async () => {
      throw new AttemptFailed("lock timed out", { payment })
    })
    expect(await runDelivery(wired, "pwhevt_1")).toEqual({ status: "retrying", reason: "lock timed out" })
    expect(inbox.retries).toEqual([{ reason: "lock timed out", needs_attention: true }])
    await runDelivery(wired, "pwhevt_1")
    expect(await runDelivery(wired, "pwhevt_1")).toEqual({ status: "failed", reason: "lock timed out" })
    expect(inbox.settled).toEqual([{ status: "failed", reason: "lock timed out", needs_attention: true }])
    expect(told.attention).toEqual(["lock timed out"])
    expect(told.ended.at(-1)).toEqual({ result: { status: "failed", reason: "lock timed out" }, payment })
  })

  it("reports a money problem before settling, and the amount mismatch beside it", async () => {
    const inbox = new FakeInbox()
    const attention = { session_id: "payses_1", psp_reference: "pi_1", amount: 1, currency_code: "usd", reason: "amount 1 USD differs" }
    const { wired, told } = ports(inbox, async () => ({
      verdict: { status: "failed", reason: attention.reason, needs_attention: true },
      attention,
      amountMismatch: { session_id: "payses_1", reason: attention.reason },
    }))
    expect(await runDelivery(wired, "pwhevt_1")).toMatchObject({ status: "failed" })
    expect(told).toMatchObject({ attention: [attention.reason], mismatches: 1 })
  })

  it("says the claim was lost when another processor holds the row by the time it settles", async () => {
    const inbox = new FakeInbox()
    inbox.loseClaim = true
    const { wired } = ports(inbox, async () => ({ verdict: { status: "processed", reason: null } }))
    expect(await runDelivery(wired, "pwhevt_1")).toEqual({ status: "claim_lost" })
    expect(inbox.settled).toEqual([])
  })

  it("gives up on a row claimed too often without settling: failed and flagged first, then its payment read and reported", async () => {
    const inbox = new FakeInbox()
    inbox.attempts = 3
    const attempt = jest.fn()
    const { wired, told } = ports(inbox, attempt, payment)
    expect(await runDelivery(wired, "pwhevt_1")).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("gave up after 3 attempts"),
    })
    expect(attempt).not.toHaveBeenCalled()
    expect(inbox.settled).toEqual([expect.objectContaining({ status: "failed", needs_attention: true })])
    expect(told.attention).toEqual([expect.stringContaining("gave up")])
    expect(told.ended.at(-1)?.payment).toBe(payment)
  })
})
