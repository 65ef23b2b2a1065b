import type { JobRunRow } from "../../modules/payment-webhooks/job-runs"
import { judgeHealth, type HealthFacts } from "./judge"
import { jobIntervalMs } from "./job-schedule"
import { moduleBackends } from "../../modules/payment-webhooks/module-backends"

const figures = {
  unprocessed: 0,
  oldest_age_seconds: null,
  oldest_id: null,
  oldest_provider_id: null,
  overdue: 0,
  failures_24h: 0,
  needs_attention_24h: 0,
}
const job = (overrides: Partial<JobRunRow> = {}): JobRunRow => ({
  id: "payment-webhooks-redrive",
  started_at: new Date(),
  finished_at: new Date(),
  process_kind: "shared",
  host: "h",
  pid: 1,
  interval_ms: 60_000,
  duration_ms: 12,
  summary: {},
  last_error: null,
  finished_age_seconds: 10,
  started_age_seconds: 10,
  ...overrides,
})
const inMemory = {
  event_bus: "in-memory",
  workflow_engine: "in-memory",
  cache: "in-memory",
  locking: "in-memory",
  worker_mode: "shared",
} as const
const facts = (overrides: Partial<HealthFacts> = {}): HealthFacts => ({
  job: job(),
  intervalMs: 60_000,
  inbox: { figures },
  providers: [{ key: "stripe_stripe", webhook_path: "/hooks/payment/stripe_stripe", webhook_secret_configured: true, webhook_secrets: 1 }],
  modules: inMemory,
  inboxEnabled: true,
  backlogAlertSeconds: 900,
  ...overrides,
})

describe("judgeHealth", () => {
  it("is ok for a single shared process on in-memory modules whose job ran a period ago", () => {
    expect(judgeHealth(facts())).toEqual({ status: "ok", problems: [], job_interval_ms: 60_000 })
  })

  it("fails when the job never ran, or has not finished a pass for three of its own periods", () => {
    expect(judgeHealth(facts({ job: null }))).toMatchObject({ status: "failing", problems: [expect.stringContaining("has not run yet")] })
    // The job's recorded period counts, not this process's: a server may not have the worker's setting.
    const stale = judgeHealth(
      facts({
        job: job({ interval_ms: 10_000, finished_age_seconds: 31, process_kind: "worker" }),
        modules: { ...inMemory, event_bus: "redis", workflow_engine: "redis", cache: "redis", locking: "redis" },
      }),
    )
    expect(stale).toMatchObject({
      status: "failing",
      job_interval_ms: 10_000,
      problems: [expect.stringMatching(/last finished a pass 31 s ago \(on worker h pid 1\), more than 3 periods of 10 s/)],
    })
    expect(judgeHealth(facts({ job: job({ interval_ms: 10_000, finished_age_seconds: 29 }) })).status).toBe("ok")
    const hung = judgeHealth(facts({ job: job({ finished_at: null, finished_age_seconds: null, started_age_seconds: 600 }) }))
    expect(hung.problems[0]).toContain("never finished it")
  })

  it("fails when the inbox cannot be read, without blaming the job", () => {
    const verdict = judgeHealth(facts({ job: null, inbox: { error: "connect ECONNREFUSED" } }))
    expect(verdict).toMatchObject({ status: "failing", problems: ["The webhook inbox could not be read: connect ECONNREFUSED"] })
  })

  it("is degraded, with one line each, for failures, overdue or old deliveries, a failed pass and a provider without secret", () => {
    const verdict = judgeHealth(
      facts({
        job: job({ last_error: "database went away" }),
        inbox: { figures: { ...figures, unprocessed: 3, oldest_age_seconds: 1000, overdue: 2, failures_24h: 4, needs_attention_24h: 1 } },
        providers: [{ key: "yoco_yoco", webhook_path: "/hooks/payment/yoco_yoco", webhook_secret_configured: false, webhook_secrets: 0 }],
      }),
    )
    expect(verdict.status).toBe("degraded")
    expect(verdict.problems).toEqual([
      expect.stringContaining("failed: database went away"),
      expect.stringContaining("due for 1000 s"),
      "2 deliveries are due but the job has not taken them up",
      expect.stringContaining("4 deliveries failed in the last 24 h"),
      expect.stringContaining("1 payments need a person's attention"),
      "Provider yoco_yoco has no webhook secret: its deliveries cannot be verified",
    ])
  })

  it("is degraded when servers and a worker run apart on in-memory modules, judged by this process or by where the job ran", () => {
    const server = judgeHealth(facts({ modules: { ...inMemory, worker_mode: "server" } }))
    expect(server.problems).toEqual([expect.stringContaining("in-memory event bus, workflow engine, cache, locking")])
    const jobOnWorker = judgeHealth(facts({ job: job({ process_kind: "worker" }), modules: { ...inMemory, event_bus: "redis" } }))
    expect(jobOnWorker.problems).toEqual([
      expect.stringMatching(
        /this process: shared, the job's: worker\) but this process uses Medusa's in-memory workflow engine, cache, locking/,
      ),
    ])
    expect(
      judgeHealth(
        facts({ modules: { event_bus: "redis", workflow_engine: "redis", cache: "redis", locking: "redis", worker_mode: "server" } }),
      ).status,
    ).toBe("ok")
  })
})

describe("moduleBackends", () => {
  it("reads each backend from the store's resolved config, the locking module by its default provider", () => {
    const config = {
      projectConfig: {
        workerMode: "server" as const,
        databaseUrl: "",
        http: { jwtSecret: "", cookieSecret: "", storeCors: "", adminCors: "", authCors: "" },
      },
      modules: {
        event_bus: { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: "redis://x" } },
        workflows: { resolve: "@medusajs/medusa/workflow-engine-inmemory" },
        cache: { resolve: "@medusajs/medusa/cache-redis" },
        locking: {
          resolve: "@medusajs/medusa/locking",
          options: {
            providers: [
              { resolve: "@medusajs/medusa/locking-postgres", id: "pg" },
              { resolve: "@medusajs/medusa/locking-redis", id: "r", is_default: true },
            ],
          },
        },
      },
    }
    expect(moduleBackends(config)).toEqual({
      event_bus: "redis",
      workflow_engine: "in-memory",
      cache: "redis",
      locking: "redis",
      worker_mode: "server",
    })
    expect(
      moduleBackends({
        ...config,
        modules: { locking: { resolve: "@medusajs/medusa/locking" }, event_bus: { resolve: "./src/my-bus" }, cache: false },
      }),
    ).toMatchObject({
      event_bus: "other",
      workflow_engine: "not registered",
      cache: "not registered",
      locking: "in-memory",
    })
  })
})

describe("jobIntervalMs", () => {
  it("is PAYMENT_WEBHOOKS_JOB_INTERVAL_MS when it is a positive number, else a minute", () => {
    expect(jobIntervalMs({ PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "1500" })).toBe(1500)
    expect(jobIntervalMs({ PAYMENT_WEBHOOKS_JOB_INTERVAL_MS: "soon" })).toBe(60_000)
    expect(jobIntervalMs({})).toBe(60_000)
  })
})
