import { createServer, type IncomingHttpHeaders } from "node:http"
import type { CliContext } from "../context"
import { main } from "../main"

/** Runs the tool in-process; returns its exit code and what it printed. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = []
  const err: string[] = []
  const context: CliContext = { env, out: (text) => out.push(text), err: (text) => err.push(text) }
  const code = await main(args, context)
  return { code, stdout: out.join("\n"), stderr: err.join("\n") }
}

/** A loopback store that answers every request with `status` and `body`, and records what it was asked. */
async function store(status: number, body: string) {
  const received: Array<{ url: string; headers: IncomingHttpHeaders }> = []
  const server = createServer((req, res) => {
    received.push({ url: req.url ?? "", headers: req.headers })
    res.writeHead(status, { "content-type": "application/json" }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()) }
}

const healthy = {
  status: "degraded",
  job: {
    last_ran_at: "2026-11-29T16:00:05.120Z",
    started_at: "2026-11-29T16:00:05.000Z",
    process_kind: "worker",
    host: "worker-1",
    pid: 42,
    duration_ms: 120,
    summary: {},
    last_error: null,
  },
  job_interval_ms: 60_000,
  backlog: { unprocessed: 3, oldest_age_seconds: 75, overdue: 0 },
  failures_24h: 2,
  needs_attention_24h: 0,
  providers: [
    { key: "stripe_stripe", webhook_path: "/hooks/payment/stripe_stripe", webhook_secret_configured: true, webhook_secrets: 2 },
    { key: "yoco_yoco", webhook_path: "/hooks/payment/yoco_yoco", webhook_secret_configured: false, webhook_secrets: 0 },
  ],
  modules: { event_bus: "redis", workflow_engine: "redis", cache: "redis", locking: "redis", worker_mode: "server" },
  problems: ["2 deliveries failed in the last 24 h", "Provider yoco_yoco has no webhook secret: its deliveries cannot be verified"],
}

const failing = {
  ...healthy,
  status: "failing",
  job: null,
  problems: ["The job payment-webhooks-redrive has not run yet"],
}

describe("status --health", () => {
  it("prints a short summary of a 200 answer and exits 0, sending the secret key as HTTP Basic", async () => {
    const answer = await store(200, JSON.stringify(healthy))
    try {
      const result = await cli(["status", "--health", "--url", answer.url], { MEDUSA_ADMIN_TOKEN: "sk_admin" })
      expect(result.code).toBe(0)
      expect(answer.received[0]).toMatchObject({
        url: "/admin/payment-webhooks/health",
        headers: { authorization: `Basic ${Buffer.from("sk_admin:").toString("base64")}` },
      })
      expect(result.stdout.split("\n")).toEqual([
        "Payment webhooks: degraded (HTTP 200)",
        "Job:        last ran 2026-11-29T16:00:05Z on worker worker-1 pid 42 (every 60 s)",
        "Backlog:    3 unprocessed, the oldest due for 75 s",
        "Last 24 h:  2 failed, 0 need attention",
        "Providers:  stripe_stripe (secrets: 2), yoco_yoco (secrets: MISSING)",
        "Modules:    event bus redis, workflow engine redis, cache redis, locking redis; this server: server",
        "Problems:",
        "  - 2 deliveries failed in the last 24 h",
        "  - Provider yoco_yoco has no webhook secret: its deliveries cannot be verified",
      ])
      expect(result.stdout).not.toContain("sk_admin")
    } finally {
      await answer.close()
    }
  })

  it("exits 1 on a 503, still printing the summary, or with --json the answer itself", async () => {
    const answer = await store(503, JSON.stringify(failing))
    try {
      const summary = await cli(["status", "--health", "--url", answer.url, "--token", "sk_admin"])
      expect(summary.code).toBe(1)
      expect(summary.stdout.split("\n").slice(0, 2)).toEqual(["Payment webhooks: failing (HTTP 503)", "Job:        never ran (every 60 s)"])
      expect(summary.stdout).toContain("  - The job payment-webhooks-redrive has not run yet")
      const json = await cli(["status", "--health", "--json", "--url", answer.url, "--token", "sk_admin"])
      expect(json.code).toBe(1)
      expect(JSON.parse(json.stdout)).toEqual(failing)
    } finally {
      await answer.close()
    }
  })

  it("exits 1 with the store's message when the answer is no report (401, a store without the plugin)", async () => {
    const answer = await store(401, JSON.stringify({ message: "Unauthorized" }))
    try {
      const result = await cli(["status", "--health", "--url", answer.url, "--token", "sk_wrong"])
      expect(result).toEqual({ code: 1, stdout: "", stderr: "error: GET /admin/payment-webhooks/health answered 401: Unauthorized" })
    } finally {
      await answer.close()
    }
  })

  it("refuses list filters with --health as a usage error", async () => {
    const result = await cli(["status", "--health", "--status", "failed", "--token", "sk_x"])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("--health takes no filter (--status)")
  })
})
