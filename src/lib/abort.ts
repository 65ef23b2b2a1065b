/**
 * `work`, or the signal's reason as soon as `signal` fires, whichever comes first. The work itself goes
 * on unless it was handed the same signal; this only stops the caller from waiting on it (a client that
 * retries after its request was aborted, say, is not waited for).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return work
  }
  if (signal.aborted) {
    // The work may still reject later: observed here so it never surfaces as an unhandled rejection.
    work.catch(() => undefined)
    return Promise.reject(abortReason(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener("abort", onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort)
        reject(error)
      },
    )
  })
}

/** Why `signal` fired, as an Error (an abort with no reason gives a plain "aborted"). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new Error(typeof reason === "string" ? reason : "aborted")
}
