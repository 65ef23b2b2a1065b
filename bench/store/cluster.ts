import Redis from "ioredis"
import type { StoreProcess } from "../../integration-tests/support/store-process"

const REDIS = process.env.BENCH_REDIS || "redis://127.0.0.1:6379"
/**
 * Redis databases of the benchmark's own (the test suite's topology test uses 5 and 6): BullMQ
 * queue names are global per database, so these keep the bench store's queues, workflows and
 * locks apart from anything else, and only they are flushed.
 */
const MODULES_DB = 8
const LOCKING_DB = 9

/** Env that gives the bench store Medusa's Redis modules (see bench/store/medusa-config.js). */
export const REDIS_ENV = { BENCH_REDIS_URL: `${REDIS}/${MODULES_DB}`, BENCH_LOCKING_REDIS_URL: `${REDIS}/${LOCKING_DB}` }

/** Where the modules' Redis is, for the report (database indexes included). */
export const REDIS_DESCRIPTION = `${REDIS} databases ${MODULES_DB} (event bus, workflow engine, cache) and ${LOCKING_DB} (locking)`

/** Empties the benchmark's two Redis databases (only those). */
export async function flushBenchRedis(): Promise<void> {
  for (const db of [MODULES_DB, LOCKING_DB]) {
    const redis = new Redis(`${REDIS}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await redis.connect()
      await redis.flushdb()
    } catch (error) {
      throw new Error(
        `Redis is not reachable at ${REDIS} (${error instanceof Error ? error.message : String(error)}). Start it, or set BENCH_REDIS.`,
      )
    } finally {
      redis.disconnect()
    }
  }
}

/** Members started and not yet stopped, so an interrupted benchmark can stop them. */
const live = new Set<StoreProcess>()

/** Kills every member still running (on interrupt). */
export async function stopAllMembers(): Promise<void> {
  await Promise.all([...live].map((member) => member.stop("SIGKILL")))
  live.clear()
}

/** One topology's processes, by kind, started on the store's database. */
export type Cluster = { servers: StoreProcess[]; worker: StoreProcess | null; all: StoreProcess[] }

/**
 * Starts `servers` processes (`MEDUSA_WORKER_MODE=server`, or `shared` when there is no worker)
 * and, with `worker`, one `MEDUSA_WORKER_MODE=worker`, all on the store's database with the Redis
 * modules; the worker first, so the queues have their consumer before the first delivery.
 */
export async function startCluster(
  store: StoreProcess,
  shape: { servers: number; worker: boolean },
  env: NodeJS.ProcessEnv,
): Promise<Cluster> {
  const started: StoreProcess[] = []
  try {
    let worker: StoreProcess | null = null
    if (shape.worker) {
      worker = await store.sibling({ ...REDIS_ENV, ...env, MEDUSA_WORKER_MODE: "worker" })
      started.push(worker)
      live.add(worker)
      await worker.start(180_000)
    }
    const servers: StoreProcess[] = []
    for (let index = 0; index < shape.servers; index++) {
      const server = await store.sibling({ ...REDIS_ENV, ...env, MEDUSA_WORKER_MODE: shape.worker ? "server" : "shared" })
      started.push(server)
      live.add(server)
      await server.start(180_000)
      servers.push(server)
    }
    return { servers, worker, all: started }
  } catch (error) {
    await stopCluster({ servers: [], worker: null, all: started })
    throw error
  }
}

/** Kills every process of a topology (the database stays). */
export async function stopCluster(cluster: Cluster): Promise<void> {
  await Promise.all(cluster.all.map((member) => member.stop("SIGKILL")))
  cluster.all.forEach((member) => live.delete(member))
}

/** Process ids of the running members. */
export function pidsOf(members: readonly (StoreProcess | null)[]): number[] {
  return members.flatMap((member) => (member?.pid ? [member.pid] : []))
}
