import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { VERIFY_ROUNDS } from "../phases/verify"
import type { BenchResults, Section } from "./results"
import type { VerifyCase } from "../phases/verify"
import type { StageTiming } from "../profile/stage-timer"
import { ackSection } from "./sections/ack"
import { cell, machineText, measuredOn } from "./sections/common"
import { deliverySection } from "./sections/delivery"
import { inboxSection } from "./sections/inbox"
import { inboxAdminSection } from "./sections/inbox-admin"
import { topologySection } from "./sections/topology"
import { costModelSection } from "./sections/cost-model"

function verifySection(section: Section<VerifyCase[]>): string[] {
  const lines = [
    `**Verification** (µs per event, median of ${VERIFY_ROUNDS} rounds, in-process; the plugin's adapter over the Stripe SDK and \`standardwebhooks\`; information only, no target):`,
    measuredOn(section),
    "",
    "| scheme | body | bare HMAC (floor) | plugin | library direct |",
    "|---|---|---|---|---|",
  ]
  for (const verifyCase of section.result) {
    const floor = verifyCase.rows.find((row) => row.role === "floor")
    const plugin = verifyCase.rows.find((row) => row.role === "plugin")
    const library = verifyCase.rows.find((row) => row.role === "library")
    lines.push(
      `| ${verifyCase.scheme} | ${Math.round(verifyCase.bodyBytes / 1024)} KB | ${cell(floor?.usPerOp, 2)} | ${cell(plugin?.usPerOp, 2)} (${cell(plugin?.vsHmac, 2)}×) | ` +
        `${cell(library?.usPerOp, 2)} (${cell(library?.vsHmac, 2)}×) |`,
    )
  }
  return lines
}

function stagesSection(section: Section<StageTiming[]>): string[] {
  const lines = [
    "**The edge's steps** (in the store's container by `medusa exec`, its server stopped; indented rows are the alternatives the edge was compared with; information only):",
    measuredOn(section),
    "",
    "| step | µs per call alone | calls/s with 32 in flight |",
    "|---|---|---|",
  ]
  for (const stage of section.result) {
    lines.push(
      `| ${stage.name.startsWith(" ") ? `↳ ${stage.name.trim()}` : stage.name} | ${cell(stage.usPerCallAlone, 1)} | ${cell(stage.callsPerSecondAt32)} |`,
    )
  }
  return lines
}

function targetsSection(results: BenchResults): string[] {
  const lines = [
    "**Targets** (each a ratio against a baseline measured in the same run):",
    "",
    "| target | measured | wanted | met | why not (measured) |",
    "|---|---|---|---|---|",
  ]
  for (const target of results.targets) {
    lines.push(
      `| ${target.name} | ${cell(target.value, 3)} | ${target.target} | ${target.pass ? "yes" : "**no**"} | ${target.reason ?? ""} |`,
    )
  }
  return lines
}

/** The README's benchmark block: where it ran, the targets, then each phase's figures with the machine they came from. */
export function renderMarkdown(results: BenchResults): string {
  const { sections } = results
  const header = results.fullRun
    ? `Last full run: ${results.fullRun.startedAt.replace("T", " ").slice(0, 16)} UTC on ${machineText(results.fullRun.machine)}, ${results.fullRun.seconds} s in all. ` +
      "Each section says when and where its figures were measured (a phase re-run alone with `--only` replaces its own)."
    : "Each section says when and where its figures were measured."
  const blocks: string[][] = [[header], targetsSection(results)]
  if (sections.ack) blocks.push(ackSection(sections.ack))
  if (sections.delivery) blocks.push(deliverySection(sections.delivery))
  if (sections.inbox) blocks.push([...inboxSection(sections.inbox), ...inboxAdminSection(sections.inbox)])
  if (sections.topology) blocks.push(topologySection(sections.topology))
  const costModel = costModelSection(sections)
  if (costModel.length) blocks.push(costModel)
  if (sections.stages) blocks.push(stagesSection(sections.stages))
  if (sections.verify) blocks.push(verifySection(sections.verify))
  const failed = Object.entries(results.failures)
  if (failed.length) {
    blocks.push(failed.map(([phase, reason]) => `- Phase \`${phase}\` failed in the latest run: ${reason.split("\n")[0].slice(0, 300)}`))
  }
  return `${blocks.map((block) => block.join("\n")).join("\n\n")}\n`
}

/** Writes bench/results.md, the block the README shows. */
export function writeMarkdown(results: BenchResults): string {
  const file = join(__dirname, "..", "results.md")
  writeFileSync(file, renderMarkdown(results))
  return file
}
