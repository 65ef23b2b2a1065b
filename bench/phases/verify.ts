import { createHmac, createSecretKey } from "node:crypto"
import Stripe from "stripe"
import { Webhook } from "standardwebhooks"
import { signStandardWebhook, verifyStandardWebhook } from "../../src/providers/base/standard-webhooks"
import { signStripePayload, verifyStripeSignature } from "../../src/providers/stripe/signature"
import { ratio, round } from "../lib/stats"
import { stripeEventBody, yocoEventBody } from "../verify/bodies"
import { timeContenders, type Contender } from "../verify/timer"

/** One contender's cost, and its ratio to the bare HMAC of the same signed content. */
export type VerifyRow = { name: string; role: "floor" | "plugin" | "library" | "part"; usPerOp: number; vsHmac: number }

/** Costs for one scheme and one body size. */
export type VerifyCase = { scheme: "stripe" | "standard-webhooks"; bodyBytes: number; rows: VerifyRow[] }

// Throwaway secrets made up for the micro-benchmark (never a real key).
const STRIPE_SECRET = "whsec_benchmark_only_not_a_real_secret"
const SW_SECRET = `whsec_${Buffer.from("benchmark-only-not-a-real-secret!").toString("base64")}`

/** Rounds of 30 ms each contender is timed in; its figure is their median. */
export const VERIFY_ROUNDS = 15

type Labeled = Contender & { role: VerifyRow["role"] }

/** Contenders for Stripe's scheme: `${t}.${body}`, HMAC-SHA256 keyed with the whsec string, hex. */
function stripeContenders(body: string): Labeled[] {
  const raw = Buffer.from(body)
  const timestamp = Math.floor(Date.now() / 1000)
  const header = signStripePayload({ payload: body, secret: STRIPE_SECRET, timestamp })
  const prefix = `${timestamp}.`
  // The floor gets its key prepared once, as the plugin keeps it: a string key is encoded on every call.
  const key = createSecretKey(Buffer.from(STRIPE_SECRET, "utf8"))
  return [
    { name: "crypto HMAC-SHA256 (floor)", role: "floor", run: () => createHmac("sha256", key).update(prefix).update(raw).digest("hex") },
    {
      name: "plugin verifyStripeSignature (the SDK, per secret)",
      role: "plugin",
      run: () => verifyStripeSignature({ rawBody: raw, header, secrets: [STRIPE_SECRET], toleranceSeconds: 300 }),
    },
    { name: "Stripe.webhooks.constructEvent", role: "library", run: () => Stripe.webhooks.constructEvent(raw, header, STRIPE_SECRET) },
    { name: "  part: JSON.parse(body)", role: "part", run: () => JSON.parse(raw.toString("utf8")) },
    {
      name: "  part: HMAC + JSON.parse",
      role: "part",
      run: () => [createHmac("sha256", key).update(prefix).update(raw).digest("hex"), JSON.parse(raw.toString("utf8"))],
    },
  ]
}

/** Contenders for Standard Webhooks (Yoco): `${id}.${t}.${body}`, keyed with the decoded secret, base64. */
function standardContenders(body: string): Labeled[] {
  const raw = Buffer.from(body)
  const id = "msg_benchVerify0000000000"
  const timestamp = Math.floor(Date.now() / 1000)
  const headers = signStandardWebhook({ id, payload: body, secret: SW_SECRET, timestamp })
  const key = createSecretKey(Buffer.from(SW_SECRET.slice("whsec_".length), "base64"))
  const prefix = `${id}.${timestamp}.`
  const webhook = new Webhook(SW_SECRET)
  return [
    { name: "crypto HMAC-SHA256 (floor)", role: "floor", run: () => createHmac("sha256", key).update(prefix).update(raw).digest("base64") },
    {
      name: "plugin verifyStandardWebhook (the library, per secret)",
      role: "plugin",
      run: () => verifyStandardWebhook({ rawBody: raw, headers, secrets: [SW_SECRET], toleranceSeconds: 180 }),
    },
    { name: "new Webhook(secret).verify", role: "library", run: () => new Webhook(SW_SECRET).verify(body, headers) },
    { name: "  part: JSON.parse(body)", role: "part", run: () => JSON.parse(raw.toString("utf8")) },
    {
      name: "  part: HMAC + JSON.parse",
      role: "part",
      run: () => [createHmac("sha256", key).update(prefix).update(raw).digest("base64"), JSON.parse(raw.toString("utf8"))],
    },
    { name: "  part: standardwebhooks sign (JS SHA-256)", role: "part", run: () => webhook.sign(id, new Date(timestamp * 1000), body) },
  ]
}

/** Checks each verifier accepts its input once, so a broken fixture cannot pass for a fast one. */
function assertAccepts(contenders: readonly Labeled[]): void {
  for (const contender of contenders) {
    contender.run()
  }
}

function measure(scheme: VerifyCase["scheme"], bodyBytes: number, contenders: Labeled[]): VerifyCase {
  assertAccepts(contenders)
  const timings = timeContenders(contenders, { rounds: VERIFY_ROUNDS, roundMs: 30 })
  const floor = timings[0].usPerOp
  return {
    scheme,
    bodyBytes,
    rows: timings.map((timing, index) => ({
      name: timing.name,
      role: contenders[index].role,
      usPerOp: round(timing.usPerOp, 2),
      vsHmac: ratio(timing.usPerOp, floor),
    })),
  }
}

/**
 * µs per event of this plugin's Stripe and Standard Webhooks verification against the bare
 * HMAC-SHA256 of the same signed content (the floor) and the libraries called directly, for
 * 1 KB and 16 KB bodies; in this process, warmed up, median of several rounds.
 */
export function runVerifyPhase(sizes: readonly number[] = [1024, 16 * 1024]): VerifyCase[] {
  const cases: VerifyCase[] = []
  for (const bytes of sizes) {
    const stripeBody = stripeEventBody(bytes)
    cases.push(measure("stripe", Buffer.byteLength(stripeBody), stripeContenders(stripeBody)))
    const yocoBody = yocoEventBody(bytes)
    cases.push(measure("standard-webhooks", Buffer.byteLength(yocoBody), standardContenders(yocoBody)))
  }
  return cases
}
