import { Client } from "pg"
import { serverUrl, type StoreProcess } from "../../integration-tests/support/store-process"
import { BENCH_APPLICATION_NAME, type CpuScope } from "../lib/cpu"

/** Runs `work` with a connection to the store's database, closed afterwards. */
export async function withDb<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  // Named, so that the CPU meter leaves the benchmark's own backends out of the store's cost.
  const db = new Client({ connectionString: databaseUrl, application_name: BENCH_APPLICATION_NAME })
  await db.connect()
  try {
    return await work(db)
  } finally {
    await db.end()
  }
}

/** Where to meter the CPU of a store: its process tree(s) and the backends of its database. */
export function cpuScope(store: StoreProcess, extraPids: readonly number[] = []): CpuScope {
  const pid = store.pid
  if (!pid) {
    throw new Error("The store is not running")
  }
  return { rootPids: [pid, ...extraPids], adminUrl: serverUrl().toString(), databaseName: store.databaseName }
}
