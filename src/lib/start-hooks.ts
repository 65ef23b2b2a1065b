/** Work to do once the store has started (every module loaded, the routes and subscribers in place), by name. */
const hooks = new Map<string, () => Promise<void>>()

/**
 * Registers `work` to run when the inbox module hears that the application started (Medusa's
 * `onApplicationStart`). Registering the same name again replaces it, so a file loaded by both a
 * server and a worker registers its work once.
 */
export function onInboxStart(name: string, work: () => Promise<void>): void {
  hooks.set(name, work)
}

/** Runs every registered start hook; one failing does not keep the others from running. */
export async function runInboxStartHooks(): Promise<void> {
  await Promise.allSettled([...hooks.values()].map((work) => work()))
}
