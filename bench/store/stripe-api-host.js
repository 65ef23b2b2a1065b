/**
 * Points `@medusajs/payment-stripe`'s Stripe SDK at `STRIPE_API_BASE_URL` (the benchmark's loopback
 * fake Stripe). Medusa's provider builds its client as `new Stripe(apiKey)` and has no option for
 * the API host, so the SDK it requires is swapped in the require cache for one that adds
 * `host`/`port`/`protocol` to every client it builds. Loaded by the bench store's medusa-config.js
 * before any module; without the variable it changes nothing.
 */
const { dirname } = require("node:path")

function pointMedusaStripeAt(baseUrl) {
  if (!baseUrl) {
    return
  }
  const url = new URL(baseUrl)
  let sdkPath
  try {
    const providerDir = dirname(require.resolve("@medusajs/payment-stripe/package.json", { paths: [process.cwd()] }))
    sdkPath = require.resolve("stripe", { paths: [providerDir] })
  } catch {
    return
  }
  const Original = require(sdkPath)
  if (Original.__benchHost) {
    return
  }
  function BenchStripe(key, config) {
    return new Original(key, {
      ...(config || {}),
      host: url.hostname,
      port: Number(url.port || 80),
      protocol: url.protocol.replace(":", ""),
    })
  }
  Object.setPrototypeOf(BenchStripe, Original)
  BenchStripe.prototype = Original.prototype
  BenchStripe.default = BenchStripe
  BenchStripe.Stripe = BenchStripe
  BenchStripe.__benchHost = true
  require.cache[sdkPath].exports = BenchStripe
}

pointMedusaStripeAt(process.env.STRIPE_API_BASE_URL)

module.exports = { pointMedusaStripeAt }
