/**
 * Calls `renew` every `everyMs` until stopped, so a hold with an expiry (a delivery's claim, a
 * session's lock) lasts as long as the work under it, however long that takes, and no longer than the
 * process that holds it. A renewal that answers false (the hold is gone) stops the renewing; one that
 * throws (a database hiccup) is tried again at the next turn, while the hold has not run out yet.
 */
export function keepRenewing(renew: () => Promise<boolean>, everyMs: number): { stop(): void } {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = () => {
    timer = setTimeout(() => {
      void renew()
        .then(
          (held) => held,
          () => true,
        )
        .then((held) => {
          if (held && !stopped) {
            schedule()
          }
        })
    }, everyMs)
    // Renewing never keeps a process alive by itself.
    timer.unref?.()
  }
  schedule()
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
