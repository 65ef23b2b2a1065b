/**
 * Points `@medusajs/payment-stripe`'s Stripe SDK at `STRIPE_API_BASE_URL` (a loopback fake Stripe):
 * in the benchmark's store and in this repo's test store only. Medusa's provider builds its client as
 * `new Stripe(apiKey)` and has no option for the API host, so the SDK it requires is swapped in the
 * require cache for one that adds `host`/`port`/`protocol` to every client it builds. Loaded by the
 * store's medusa-config before any module; without the variable it changes nothing. (Under Jest, whose
 * module registry is its own, `medusaStripeSdkPath` and `withFakeHost` serve `jest.doMock` instead.)
 */
const { dirname } = require("node:path")

/** Where the Stripe SDK that `@medusajs/payment-stripe` requires lives; undefined when it is not installed. */
function medusaStripeSdkPath(from = process.cwd()) {
  try {
    const providerDir = dirname(require.resolve("@medusajs/payment-stripe/package.json", { paths: [from] }))
    return require.resolve("stripe", { paths: [providerDir] })
  } catch {
    return undefined
  }
}

/** The SDK's constructor, building every client against `baseUrl`. */
function withFakeHost(Original, baseUrl) {
  const url = new URL(baseUrl)
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
  BenchStripe.__fakeHost = true
  return BenchStripe
}

function pointMedusaStripeAt(baseUrl) {
  const sdkPath = baseUrl ? medusaStripeSdkPath() : undefined
  if (!sdkPath) {
    return
  }
  const Original = require(sdkPath)
  const cached = require.cache && require.cache[sdkPath]
  if (!cached || Original.__fakeHost) {
    return
  }
  cached.exports = withFakeHost(Original, baseUrl)
}

pointMedusaStripeAt(process.env.STRIPE_API_BASE_URL)

module.exports = { pointMedusaStripeAt, medusaStripeSdkPath, withFakeHost }
