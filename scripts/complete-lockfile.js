#!/usr/bin/env node
/**
 * Adds the lockfile entries npm leaves out when its registry does not serve other platforms'
 * optional binaries (@swc/core-darwin-arm64, @rollup/rollup-win32-…): without them `npm ci`
 * refuses the lockfile. Each entry is marked optional with the os/cpu/libc its name states,
 * so npm skips it on every other platform and never fetches it.
 * Run after any `npm install` that changes package-lock.json: `node scripts/complete-lockfile.js`.
 */
const fs = require("node:fs")
const path = require("node:path")

const LOCK = path.join(__dirname, "..", "package-lock.json")
const OS = ["darwin", "linux", "win32", "android", "freebsd", "openbsd", "openharmony", "sunos", "netbsd"]
const CPU = ["arm64", "x64", "arm", "ia32", "ppc64", "s390x", "riscv64", "loong64", "mips64el"]

/** os, cpu and libc as a platform package's name states them (e.g. core-linux-arm-gnueabihf). */
function platformOf(name) {
  const parts = name.split("/").pop().split("-")
  const os = parts.find((part) => OS.includes(part))
  const cpu = parts.find((part) => CPU.includes(part))
  const libc = parts.some((part) => part.startsWith("musl")) ? "musl" : parts.some((part) => part.startsWith("gnu")) ? "glibc" : undefined
  return os && cpu ? { os, cpu, libc } : undefined
}

const lock = JSON.parse(fs.readFileSync(LOCK, "utf8"))
let added = 0
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const parentModules = location ? `${location}/node_modules` : "node_modules"
    const candidates = [`${parentModules}/${name}`, `node_modules/${name}`]
    if (candidates.some((candidate) => lock.packages[candidate])) {
      continue
    }
    const platform = platformOf(name)
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) {
      continue
    }
    lock.packages[`node_modules/${name}`] = {
      version,
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      dev: entry.dev,
      optional: true,
      os: [platform.os],
    }
    added += 1
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))))
fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`complete-lockfile: added ${added} platform entries`)
