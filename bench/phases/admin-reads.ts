import { basicAuth } from "../../integration-tests/support/admin-request"
import type { OrderPaymentWebhooks } from "../../src/types/admin-api"
import { seededRandom } from "../lib/random"
import { ratio, round, summarize } from "../lib/stats"

/** Requests of each read before those measured (connections, code and caches warm). */
export const ADMIN_WARMUPS = 5

/** Orders read (uncached) before those measured at each size. */
export const UNCACHED_WARMUPS = 2

/** The admin's reads the phase times, in the order it times them: a short label, and what each asks. */
export const ADMIN_READS = {
  list: { label: "list", asks: "`GET /admin/payment-webhooks?limit=20`" },
  failed: { label: "failed only", asks: "`?status=failed&limit=20`" },
  deepPage: { label: "page at offset 9,980", asks: "`?offset=9980&limit=20`" },
  summary: { label: "summary", asks: "`GET /admin/payment-webhooks/summary`" },
  search: { label: "search by PSP payment id", asks: "`?q=pi_fill_<n>`, another row of the fill each time" },
  orderCached: { label: "order view, PSP cached", asks: "`GET /admin/payment-webhooks/orders/:id`, the PSP's answer reused" },
  orderUncached: { label: "order view, PSP asked", asks: "the order view of another order each time, so the PSP is asked" },
  listSecretKey: { label: "list, secret key", asks: "the list with a secret API key, which Medusa checks with scrypt on every request" },
} as const

/** The reads the goal of 100 ms is about: the dashboard's (the secret key's list shows what a script pays on top). */
export const DASHBOARD_READS = ["list", "failed", "deepPage", "summary", "search", "orderCached", "orderUncached"] as const

/** One of them. */
export type AdminReadKey = keyof typeof ADMIN_READS

/** One read's figures at one inbox size (ms). */
export type ReadFigures = {
  requests: number
  p50: number
  p99: number
  max: number
  /** Answers outside 2xx, and requests that got none. */
  failures: number
  /** p50 and p99 at this size ÷ on the emptied table. */
  vsEmpty: { p50: number; p99: number }
}

/** The admin's reads at one inbox size. */
export type AdminReadsAt = {
  reads: Record<AdminReadKey, ReadFigures>
  /** Order views whose PSP answer was not what the series is about (from `psp_read_at`), and PSP errors. */
  psp: { freshInCached: number; cachedInUncached: number; errors: number }
}

/** Where and as whom the reads go, and what they name. */
export type AdminReadPlan = {
  baseUrl: string
  /** `Bearer …`: an admin user's token from Medusa's login, as the dashboard's requests carry. */
  bearer: string
  secretKey: string
  requests: number
  /** Rows of the fill (their PSP payment ids are `pspPrefix` + 1…fillRows). */
  fillRows: number
  pspPrefix: string
  /** The order read again and again (its PSP answer kept), and the orders read once each. */
  cachedOrder: string
  uncachedOrders: string[]
  /** The provider of the orders' payments (`pp_…`). */
  providerId: string
}

type Sample = { ms: number; ok: boolean; startedAt: number; text: string }

/** One GET, timed from the request to the last byte of the answer. */
async function timedGet(baseUrl: string, path: string, authorization: string): Promise<Sample> {
  const startedAt = Date.now()
  const started = performance.now()
  try {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(30_000) })
    const text = await response.text()
    return { ms: performance.now() - started, ok: response.ok, startedAt, text }
  } catch {
    return { ms: performance.now() - started, ok: false, startedAt, text: "" }
  }
}

/** Whether an order view's answer for the provider's payment came from the PSP during this request, from the cache, or not at all. */
function pspAnswer(sample: Sample, providerId: string): "fresh" | "cached" | "error" {
  if (!sample.ok) {
    return "error"
  }
  const body: Partial<OrderPaymentWebhooks> = JSON.parse(sample.text)
  const payment = body.payments?.find((candidate) => candidate.provider_id === providerId)
  if (!payment?.psp_read_at) {
    return "error"
  }
  return Date.parse(payment.psp_read_at) >= sample.startedAt ? "fresh" : "cached"
}

const figures = (samples: Sample[]): ReadFigures => {
  const latency = summarize(samples.filter((sample) => sample.ok).map((sample) => sample.ms))
  return {
    requests: samples.length,
    p50: round(latency.p50, 1),
    p99: round(latency.p99, 1),
    max: round(latency.max, 1),
    failures: samples.filter((sample) => !sample.ok).length,
    vsEmpty: { p50: 1, p99: 1 },
  }
}

/** Sends `paths` one after another, each after the previous answered. */
async function series(baseUrl: string, paths: string[], authorization: string): Promise<Sample[]> {
  const samples: Sample[] = []
  for (const path of paths) {
    samples.push(await timedGet(baseUrl, path, authorization))
  }
  return samples
}

/**
 * Times each admin read of {@link ADMIN_READS}, one request at a time (as a person's browser sends
 * them), `plan.requests` of each after {@link ADMIN_WARMUPS} warm-ups; the order views are checked
 * from `psp_read_at`: the cached series must be answered from the kept read, the uncached one by the PSP.
 */
export async function measureAdminReads(plan: AdminReadPlan): Promise<AdminReadsAt> {
  const { baseUrl, bearer, requests } = plan
  // Warm-ups first, each series: their answers are dropped.
  const repeat = (path: string) => Array.from({ length: requests + ADMIN_WARMUPS }, () => path)
  const random = seededRandom(plan.fillRows + 17)
  const searched = Array.from(
    { length: requests + ADMIN_WARMUPS },
    (_, index) => `/admin/payment-webhooks?q=${plan.pspPrefix}${plan.fillRows ? 1 + Math.floor(random() * plan.fillRows) : index + 1}`,
  )
  const paths: Record<Exclude<AdminReadKey, "orderUncached" | "listSecretKey">, string[]> = {
    list: repeat("/admin/payment-webhooks?limit=20"),
    failed: repeat("/admin/payment-webhooks?status=failed&limit=20"),
    deepPage: repeat("/admin/payment-webhooks?offset=9980&limit=20"),
    summary: repeat("/admin/payment-webhooks/summary"),
    search: searched,
    orderCached: repeat(`/admin/payment-webhooks/orders/${plan.cachedOrder}`),
  }
  const measured = async (key: keyof typeof paths) => (await series(baseUrl, paths[key], bearer)).slice(ADMIN_WARMUPS)
  const list = await measured("list")
  const failed = await measured("failed")
  const deepPage = await measured("deepPage")
  const summary = await measured("summary")
  const search = await measured("search")
  const orderCached = await measured("orderCached")
  const orderUncached = (
    await series(
      baseUrl,
      plan.uncachedOrders.map((order) => `/admin/payment-webhooks/orders/${order}`),
      bearer,
    )
  ).slice(UNCACHED_WARMUPS)
  const listSecretKey = (await series(baseUrl, paths.list, basicAuth(plan.secretKey))).slice(ADMIN_WARMUPS)
  const cachedAnswers = orderCached.map((sample) => pspAnswer(sample, plan.providerId))
  const uncachedAnswers = orderUncached.map((sample) => pspAnswer(sample, plan.providerId))
  return {
    reads: {
      list: figures(list),
      failed: figures(failed),
      deepPage: figures(deepPage),
      summary: figures(summary),
      search: figures(search),
      orderCached: figures(orderCached),
      orderUncached: figures(orderUncached),
      listSecretKey: figures(listSecretKey),
    },
    psp: {
      freshInCached: cachedAnswers.filter((answer) => answer === "fresh").length,
      cachedInUncached: uncachedAnswers.filter((answer) => answer === "cached").length,
      errors: [...cachedAnswers, ...uncachedAnswers].filter((answer) => answer === "error").length,
    },
  }
}

/** `at` with each read's p50 and p99 as a ratio of the same read's on the emptied table (itself when it is the first). */
export function againstEmpty(at: AdminReadsAt, empty: AdminReadsAt | undefined): AdminReadsAt {
  if (!empty) {
    return at
  }
  const reads = { ...at.reads }
  for (const key of Object.keys(ADMIN_READS) as AdminReadKey[]) {
    const base = empty.reads[key]
    reads[key] = { ...reads[key], vsEmpty: { p50: ratio(reads[key].p50, base.p50), p99: ratio(reads[key].p99, base.p99) } }
  }
  return { ...at, reads }
}

/** An admin user's `Bearer` token from Medusa's own login (`POST /auth/user/emailpass`). */
export async function adminBearer(baseUrl: string, login: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(login),
  })
  const body: { token?: unknown } = await response.json()
  if (!response.ok || typeof body.token !== "string") {
    throw new Error(`The admin login answered ${response.status}`)
  }
  return `Bearer ${body.token}`
}
