import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const README = join(__dirname, "..", "README.md")
const START = "<!-- bench:start -->"
const END = "<!-- bench:end -->"

/** Puts `block` between the bench markers of bench/README.md (and nothing else of the file changes); false when they are missing. */
export function updateReadmeBlock(block: string): boolean {
  const text = readFileSync(README, "utf8")
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  if (start < 0 || end < start) {
    return false
  }
  writeFileSync(README, `${text.slice(0, start + START.length)}\n${block.trimEnd()}\n${text.slice(end)}`)
  return true
}
