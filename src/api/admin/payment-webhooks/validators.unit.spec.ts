import { zodValidator } from "@medusajs/framework"
import type { z } from "@medusajs/framework/zod"
import { reworded } from "./validate-request"
import { AdminBulkReplayPaymentWebhooks, AdminGetPaymentWebhooksParams, AdminNothing } from "./validators"

/** What the route's validator makes of `input`: Medusa's own validation, its refusal worded as the API words it. */
async function validate(schema: z.ZodType, input: unknown, what: "query" | "body" = "query"): Promise<unknown> {
  try {
    return await zodValidator(schema, input)
  } catch (error) {
    throw reworded(error, what)
  }
}

describe("the admin routes' validators", () => {
  it("read the list's dates (date or date-time with offset), needs_attention, q and the page's defaults", async () => {
    const query = { received_from: "2026-11-29", received_to: "2026-11-30T12:00:00+02:00", needs_attention: "false", q: " pi_123 " }
    expect(await validate(AdminGetPaymentWebhooksParams, query)).toEqual({
      received_from: new Date("2026-11-29T00:00:00Z"),
      received_to: new Date("2026-11-30T10:00:00Z"),
      needs_attention: false,
      q: "pi_123",
      limit: 20,
      offset: 0,
    })
    expect(await validate(AdminGetPaymentWebhooksParams, { limit: "100", offset: "40" })).toEqual({ limit: 100, offset: 40 })
  })

  it("refuse unknown parameters and bad values with a 400 naming them", async () => {
    await expect(validate(AdminGetPaymentWebhooksParams, { serach: "x" })).rejects.toThrow("Invalid query: Unrecognized fields: 'serach'")
    await expect(validate(AdminGetPaymentWebhooksParams, { received_from: "yesterday" })).rejects.toThrow(
      "Invalid query: Field 'received_from' must be an ISO date or date-time",
    )
    await expect(validate(AdminGetPaymentWebhooksParams, { needs_attention: "yes" })).rejects.toThrow(/^Invalid query: .*'needs_attention'/)
    await expect(validate(AdminGetPaymentWebhooksParams, { provider: "a b" })).rejects.toThrow(
      "Invalid query: Field 'provider' must be a provider identifier or key",
    )
    for (const limit of ["0", "101", "ten"]) {
      await expect(validate(AdminGetPaymentWebhooksParams, { limit })).rejects.toThrow(/^Invalid query: .*'limit'/)
    }
    await expect(validate(AdminNothing, { verbose: "1" })).rejects.toMatchObject({
      type: "invalid_data",
      message: "Invalid query: Unrecognized fields: 'verbose'",
    })
  })

  it("apply the bulk replay's defaults and refuse a body without `since`, beyond 100 rows or with unknown fields", async () => {
    expect(await validate(AdminBulkReplayPaymentWebhooks, { since: "2026-11-29" }, "body")).toEqual({
      since: new Date("2026-11-29T00:00:00Z"),
      status: "failed",
      dry_run: false,
      limit: 50,
    })
    await expect(validate(AdminBulkReplayPaymentWebhooks, { dry_run: true }, "body")).rejects.toThrow(
      "Invalid body: Field 'since' is required",
    )
    await expect(validate(AdminBulkReplayPaymentWebhooks, { since: "2026-11-29", limit: 101 }, "body")).rejects.toThrow(
      /^Invalid body: .*'limit'/,
    )
    await expect(validate(AdminNothing, { force: true }, "body")).rejects.toThrow("Invalid body: Unrecognized fields: 'force'")
    expect(await validate(AdminNothing, {}, "body")).toEqual({})
  })

  it("leave any other error as it is", () => {
    const error = new Error("boom")
    expect(reworded(error, "query")).toBe(error)
    expect(reworded(undefined, "query")).toBeUndefined()
  })
})
