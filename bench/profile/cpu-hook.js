/**
 * Preloaded into the store (`NODE_OPTIONS=--require …/cpu-hook.js`) by `npm run bench -- --cpu-profile`:
 * the first SIGUSR2 starts V8's sampling profiler, the next one writes the profile to
 * `$BENCH_CPU_PROFILE_FILE` (node's own --cpu-prof is not allowed in NODE_OPTIONS, and the store is
 * killed, not exited, between runs).
 */
const inspector = require("node:inspector")
const fs = require("node:fs")

const file = process.env.BENCH_CPU_PROFILE_FILE
if (file) {
  const session = new inspector.Session()
  session.connect()
  let running = false
  session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 250 }))
  process.on("SIGUSR2", () => {
    if (!running) {
      session.post("Profiler.start", () => (running = true))
      return
    }
    session.post("Profiler.stop", (error, result) => {
      running = false
      if (!error) {
        fs.writeFileSync(file, JSON.stringify(result.profile))
      }
    })
  })
}
