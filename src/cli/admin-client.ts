import { httpUrl, required } from "./args"
import { CommandFailed, type CliContext } from "./context"
import { answerMessage, request } from "./http"

/** Where the store is, and the secret API key its admin API accepts. */
export type AdminTarget = { url: URL; token: string }

/** The `--url` and `--token` options of the commands that call the admin API. */
export const ADMIN_OPTIONS = { url: { type: "string" }, token: { type: "string" } } as const

/** Their help lines. */
export const ADMIN_OPTIONS_HELP = `  --url <url>          The store's URL (default: MEDUSA_BACKEND_URL, else http://localhost:9000)
  --token <sk_…>       A secret API key of the store's admin, or an admin user's token where RBAC is on
                       (default: MEDUSA_ADMIN_TOKEN)`

/** The store and key from `--url`/`--token`, else from the environment. */
export function adminTarget(values: { url?: string; token?: string }, context: CliContext): AdminTarget {
  const token = required(values.token, "token", { name: "MEDUSA_ADMIN_TOKEN", value: context.env.MEDUSA_ADMIN_TOKEN })
  const url = httpUrl(values.url || context.env.MEDUSA_BACKEND_URL || "http://localhost:9000", "url")
  return { url, token }
}

/**
 * How Medusa takes the token: a secret API key (`sk_…`) as HTTP Basic (the key as user name, no
 * password); anything else as a bearer token (an admin user's, which a store with RBAC on needs: a
 * secret key carries no role there).
 */
export function authorizationOf(token: string): string {
  return token.startsWith("sk_") ? `Basic ${Buffer.from(`${token}:`).toString("base64")}` : `Bearer ${token}`
}

/** Calls the store's admin API with the target's token (see {@link authorizationOf}). A non-2xx answer is a {@link CommandFailed}. */
export async function adminRequest(
  target: AdminTarget,
  method: "GET" | "POST",
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<unknown> {
  const url = new URL(path, target.url)
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      url.searchParams.set(name, String(value))
    }
  }
  const authorization = authorizationOf(target.token)
  const answer = await request(url, { method, headers: { authorization, accept: "application/json" } })
  if (answer.status < 200 || answer.status >= 300) {
    throw new CommandFailed(`${method} ${url.pathname} answered ${answer.status}: ${answerMessage(answer.body)}`)
  }
  try {
    return JSON.parse(answer.body)
  } catch {
    throw new CommandFailed(`${method} ${url.pathname} answered ${answer.status} with a body that is not JSON`)
  }
}
