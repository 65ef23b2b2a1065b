/** Reads `read()` every 250 ms until `ok` holds of its value, which is returned; past `timeoutMs`, fails naming `what`. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value)) {
      return value
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
