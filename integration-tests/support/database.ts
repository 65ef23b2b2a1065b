import { Client } from "pg"

/** Opens one connection to the database at `url`, runs `work` with it, and closes it whatever `work` did. */
export async function withDatabase<T>(url: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url })
  await db.connect()
  try {
    return await work(db)
  } finally {
    await db.end()
  }
}
