/** The `authorization` header value for a secret API key: HTTP Basic, the key as the user name. */
export function basicAuth(token: string): string {
  return `Basic ${Buffer.from(`${token}:`).toString("base64")}`
}

/**
 * Calls the admin API at `baseUrl` as a person with a secret key would, sending `authorization`
 * as it is ("" sends none): the status and the parsed body, whatever the status (for tests of refusals too).
 */
export async function adminRequest(baseUrl: string, authorization: string, method: "GET" | "POST", path: string, body?: object) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  // The answer's JSON as the test reads it, untyped: each test states the fields it expects.
  return { status: response.status, body: text ? JSON.parse(text) : {} }
}
