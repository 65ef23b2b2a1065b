/** Realistic webhook bodies of a given size for the verification micro-benchmark. */

/** Pads `metadata` with short fields (as a store's metadata would be) until the JSON reaches `bytes`. */
function padTo(build: (metadata: Record<string, string>) => string, bytes: number): string {
  const metadata: Record<string, string> = {}
  let body = build(metadata)
  for (let index = 0; Buffer.byteLength(body) < bytes && index < 10_000; index++) {
    metadata[`note_${index}`] = "Delivered to the back door; ring twice.".slice(0, 24 + (index % 16))
    body = build(metadata)
  }
  return body
}

/** A `payment_intent.succeeded` event as Stripe sends it (indented with two spaces), about `bytes` long. */
export function stripeEventBody(bytes: number): string {
  return padTo(
    (metadata) =>
      JSON.stringify(
        {
          id: "evt_3PbenchVerify0000000000",
          object: "event",
          api_version: "2025-10-29.clover",
          created: 1763900000,
          data: {
            object: {
              id: "pi_3PbenchVerify0000000000",
              object: "payment_intent",
              amount: 2500,
              amount_capturable: 0,
              amount_received: 2500,
              capture_method: "manual",
              currency: "usd",
              latest_charge: "ch_3PbenchVerify0000000000",
              livemode: false,
              metadata: { session_id: "payses_01BENCHVERIFY0000000000", ...metadata },
              payment_method: "pm_1PbenchVerify0000000000",
              payment_method_types: ["card"],
              status: "succeeded",
            },
          },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type: "payment_intent.succeeded",
        },
        null,
        2,
      ),
    bytes,
  )
}

/** A Yoco `payment.succeeded` event (compact JSON, as Yoco sends it), about `bytes` long. */
export function yocoEventBody(bytes: number): string {
  return padTo(
    (metadata) =>
      JSON.stringify({
        id: "evt_benchVerify000000000000",
        type: "payment.succeeded",
        createdDate: "2026-11-23T12:00:00.000Z",
        payload: {
          id: "p_benchVerify00000000000",
          type: "payment",
          createdDate: "2026-11-23T12:00:00.000Z",
          amount: 2500,
          currency: "ZAR",
          status: "succeeded",
          mode: "test",
          paymentMethodDetails: {
            type: "card",
            card: { maskedCard: "************1111", scheme: "visa", expiryMonth: 12, expiryYear: 2030 },
          },
          metadata: { checkoutId: "ch_benchVerify000000000", ...metadata },
        },
      }),
    bytes,
  )
}
