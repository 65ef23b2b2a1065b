import { readdirSync, readFileSync } from "node:fs"

/** Peak memory of a process tree over a sampling window, in MiB. */
export type RssPeak = {
  /** Highest sum of VmRSS over the tree seen in one sample. */
  treeMiB: number
  /** Highest VmRSS of a single process of the tree seen in one sample (the server). */
  processMiB: number
  /** VmHWM (the kernel's own peak since the process started) of the largest process at the end. */
  hwmMiB: number
  samples: number
}

/** Reads one `Vm…:  <kB> kB` field of /proc/<pid>/status; 0 if the process is gone. */
function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match ? Number(match[1]) : 0
  } catch {
    return 0
  }
}

/** `pid` and every live descendant of it (from /proc/<pid>/stat parent ids). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) {
      continue
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      // The command name may hold spaces: the parent id is the 2nd field after the closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {
      // The process ended while we listed /proc.
    }
  }
  const tree = [root]
  for (let i = 0; i < tree.length && i < 1000; i++) {
    tree.push(...(parents.get(tree[i]) ?? []))
  }
  return tree
}

/**
 * Samples the VmRSS of a process tree (the store: the CLI and the server it runs) every
 * `intervalMs` until stopped, and keeps the peaks.
 */
export class RssSampler {
  private timer?: NodeJS.Timeout
  private tree: number[] = []
  private peak: RssPeak = { treeMiB: 0, processMiB: 0, hwmMiB: 0, samples: 0 }

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 100,
  ) {}

  /** Starts sampling (one sample at once). */
  start(): this {
    this.tree = processTree(this.rootPid)
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
    this.timer.unref()
    return this
  }

  /** Stops sampling and returns the peaks. */
  stop(): RssPeak {
    if (this.timer) {
      clearInterval(this.timer)
      this.timer = undefined
    }
    this.sample()
    const largest = this.tree.reduce((best, pid) => (statusKb(pid, "VmRSS") > statusKb(best, "VmRSS") ? pid : best), this.rootPid)
    this.peak.hwmMiB = Math.max(this.peak.hwmMiB, statusKb(largest, "VmHWM") / 1024)
    return { ...this.peak }
  }

  private sample(): void {
    if (this.peak.samples % 20 === 0) {
      this.tree = processTree(this.rootPid)
    }
    const sizes = this.tree.map((pid) => statusKb(pid, "VmRSS"))
    const total = sizes.reduce((sum, kb) => sum + kb, 0)
    this.peak.treeMiB = Math.max(this.peak.treeMiB, total / 1024)
    this.peak.processMiB = Math.max(this.peak.processMiB, Math.max(0, ...sizes) / 1024)
    this.peak.samples++
  }
}
