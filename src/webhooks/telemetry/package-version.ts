import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"

const PACKAGE_NAME = "medusa-payment-webhooks"

/**
 * This package's version, for the meter's instrumentation scope. Found by walking up from this file,
 * because the compiled file sits deeper (`.medusa/server/src/…`) than the source does.
 */
export function packageVersion(): string | undefined {
  let directory = __dirname
  for (let depth = 0; depth < 8; depth += 1) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(directory, "package.json"), "utf8"))
      if (
        typeof manifest === "object" &&
        manifest !== null &&
        "name" in manifest &&
        manifest.name === PACKAGE_NAME &&
        "version" in manifest
      ) {
        return String(manifest.version)
      }
    } catch {
      // No package.json at this level: look one up.
    }
    const parent = dirname(directory)
    if (parent === directory) {
      break
    }
    directory = parent
  }
  return undefined
}
