/** What the job-pass script (`job-pass.ts`, run by `medusa exec`) and the orchestrator share. */

/** What the orchestrator asks for. */
export type JobPassInput = { passes: number; overdueAfterSeconds: number }

/** The inbox's calls in a pass of the job, each timed on its own. */
export const PASS_PARTS = [
  "dueDeliveryIds",
  "dropOldRawBodies",
  "pruneSettled",
  "pruneReconciliationChecks",
  "pruneForgeries",
  "inboxFigures",
] as const

/** One of them. */
export type PassPart = (typeof PASS_PARTS)[number]

/** A value for each of the pass's calls. */
export function byPart<T>(pick: (part: PassPart) => T): Record<PassPart, T> {
  return {
    dueDeliveryIds: pick("dueDeliveryIds"),
    dropOldRawBodies: pick("dropOldRawBodies"),
    pruneSettled: pick("pruneSettled"),
    pruneReconciliationChecks: pick("pruneReconciliationChecks"),
    pruneForgeries: pick("pruneForgeries"),
    inboxFigures: pick("inboxFigures"),
  }
}

/** Each pass's wall time, and each call's, in ms. */
export type JobPassOutput = { passMs: number[]; partsMs: Record<PassPart, number[]>; firstPassMs: number }
