import { createHmac, randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"

/** A payment at the fake Acme. */
type AcmePayment = { id: string; amount: number; currency: string; session_id: string; status: "pending" | "succeeded" }

/** An Acme webhook event. */
export type AcmeEvent = { id: string; type: string; data: { payment_id: string; session_id: string; amount: number; currency: string } }

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString("utf8")
}

/**
 * A loopback "Acme Pay" API for the third-party provider of the tests: payments, a `POST /verify` that
 * checks a webhook's signature (slowly, when asked to, as a PSP across the network), and a signer.
 */
export class FakeAcme {
  readonly payments = new Map<string, AcmePayment>()
  /** How long `POST /verify` takes to answer, in ms. */
  verifyDelayMs = 0
  private server?: Server
  private port = 0

  constructor(readonly webhookSecret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void (async () => {
        const body = await bodyOf(req)
        const [, resource, id] = (req.url ?? "/").split("/")
        const answer = (status: number, value: unknown) => {
          res.writeHead(status, { "content-type": "application/json" })
          res.end(JSON.stringify(value))
        }
        if (req.method === "POST" && resource === "payments" && !id) {
          const input = JSON.parse(body) as { amount: number; currency: string; session_id: string }
          const payment: AcmePayment = { id: `acp_${randomUUID().slice(0, 12)}`, status: "pending", ...input }
          this.payments.set(payment.id, payment)
          return answer(200, payment)
        }
        if (req.method === "GET" && resource === "payments" && id) {
          const payment = this.payments.get(id)
          return payment ? answer(200, payment) : answer(404, { message: "no such payment" })
        }
        if (req.method === "POST" && resource === "verify") {
          const { body: signed, signature } = JSON.parse(body) as { body: string; signature: string }
          await new Promise((resolve) => setTimeout(resolve, this.verifyDelayMs))
          return answer(200, { valid: signature === this.sign(signed) })
        }
        answer(404, { message: "no route" })
      })()
    })
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** The customer pays: the payment succeeds; answers its `payment.succeeded` event. */
  pay(paymentId: string): AcmeEvent {
    const payment = this.payments.get(paymentId)
    if (!payment) throw new Error(`FakeAcme: no payment ${paymentId}`)
    payment.status = "succeeded"
    return {
      id: `evt_${randomUUID().replace(/-/g, "")}`,
      type: "payment.succeeded",
      data: { payment_id: payment.id, session_id: payment.session_id, amount: payment.amount, currency: payment.currency },
    }
  }

  /** Acme's signature of a body: hex HMAC-SHA256 with the endpoint's secret. */
  sign(body: string, secret = this.webhookSecret): string {
    return createHmac("sha256", secret).update(body).digest("hex")
  }

  /** POSTs `event` to `url` as Acme does, signed (with another secret, to forge). */
  async deliver(url: string, event: AcmeEvent, options: { secret?: string } = {}): Promise<{ status: number; body: string }> {
    const body = JSON.stringify(event)
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "acme-signature": this.sign(body, options.secret) },
      body,
    })
    return { status: response.status, body: await response.text() }
  }
}
