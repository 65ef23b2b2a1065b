import { round } from "../../lib/stats"
import type { Machine } from "../machine"
import type { Section } from "../results"

/** A number for a table cell ("–" when missing). */
export const cell = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : String(round(value, digits))

/** A ratio, bold, with its ×. */
export const times = (value: number | null | undefined) => `**${cell(value, 2)}×**`

/** The machine in a few words. */
export function machineText(machine: Machine): string {
  return `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.postgres}`
}

/** Where and when a section's figures were measured. */
export function measuredOn(section: Section<unknown>): string {
  const load = section.machine.loadAverage
  return (
    `_Measured ${section.startedAt.replace("T", " ").slice(0, 16)} UTC on ${machineText(section.machine)}; ` +
    `load average ${load.start} → ${load.end ?? "?"}; ${section.seconds} s._`
  )
}
