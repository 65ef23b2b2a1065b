import { readFileSync } from "node:fs"

/** The parts of a V8 `.cpuprofile` read here. */
type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Time in one place of a profile: ms, and share of the busy (non-idle) time. */
export type ProfileLine = { name: string; ms: number; share: number }

/** Self time of a profile by package (the plugin's build counts as `medusa-payment-webhooks`) and by function. */
export type ProfileSummary = { busyMs: number; idleMs: number; byPackage: ProfileLine[]; byFunction: ProfileLine[] }

function packageOf(url: string, functionName: string): string {
  if (!url) {
    return functionName.startsWith("(") ? functionName : `(${functionName || "native"})`
  }
  if (url.includes("medusa-payment-webhooks") || url.includes(".medusa/server")) {
    return "medusa-payment-webhooks"
  }
  const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)
  return match ? match[1] : url.startsWith("node:") ? "node" : url
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, "")
    .replace(/^.*node_modules\//, "")
    .replace(/^.*\.medusa\/server\//, "mpw:")
}

function top(totals: Map<string, number>, busy: number, count: number): ProfileLine[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: Math.round((micros / busy) * 1000) / 10 }))
}

/** Reads a `.cpuprofile` and totals its self time. */
export function summarizeProfile(file: string, count = 15): ProfileSummary {
  const profile: CpuProfile = JSON.parse(readFileSync(file, "utf8"))
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const byPackage = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let idle = 0
  let busy = 0
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id)
    const micros = profile.timeDeltas[index] ?? 0
    if (!node || node.callFrame.functionName === "(idle)") {
      idle += micros
      return
    }
    busy += micros
    const { functionName, url, lineNumber } = node.callFrame
    const pkg = packageOf(url, functionName)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros)
    const name = `${functionName || "(anonymous)"} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`.trim()
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
  })
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    byPackage: top(byPackage, busy, count),
    byFunction: top(byFunction, busy, count),
  }
}

/** Printable lines of a summary. */
export function renderProfile(title: string, summary: ProfileSummary, requests: number): string {
  const lines = [
    `${title}: busy ${summary.busyMs} ms (${((summary.busyMs * 1000) / Math.max(requests, 1)).toFixed(0)} µs per request), idle ${summary.idleMs} ms`,
  ]
  lines.push(
    "  by package:",
    ...summary.byPackage.map((line) => `    ${String(line.ms).padStart(6)} ms ${String(line.share).padStart(5)}%  ${line.name}`),
  )
  lines.push(
    "  by function:",
    ...summary.byFunction.map((line) => `    ${String(line.ms).padStart(6)} ms ${String(line.share).padStart(5)}%  ${line.name}`),
  )
  return lines.join("\n")
}

if (require.main === module) {
  const [file, requests] = process.argv.slice(2)
  if (!file) {
    console.error("Usage: ts-node bench/profile/summarize.ts <file.cpuprofile> [requests]")
    process.exit(1)
  }
  console.log(renderProfile(file, summarizeProfile(file, 25), Number(requests) || 1))
}
