import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoreProcess } from "../../integration-tests/support/store-process"
import type { StagesInput } from "../profile/hot-path-stages"
import type { StageTiming } from "../profile/stage-timer"

const SCRIPT = join(__dirname, "..", "profile", "hot-path-stages.ts")

/** Runs the hot-path stage profile in the store's container (`medusa exec`, server stopped). */
export async function runStagesPhase(store: StoreProcess, input: StagesInput): Promise<StageTiming[]> {
  const dir = mkdtempSync(join(tmpdir(), "mpw-bench-stages-"))
  try {
    const inFile = join(dir, "in.json")
    const outFile = join(dir, "out.json")
    writeFileSync(inFile, JSON.stringify(input))
    await store.exec(SCRIPT, [inFile, outFile])
    return JSON.parse(readFileSync(outFile, "utf8"))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
