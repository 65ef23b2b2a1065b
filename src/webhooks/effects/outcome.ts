/** How an effect ended: the inbox status and, unless processed, why. */
export type EffectOutcome = { status: "processed" | "ignored" | "failed"; reason?: string }
