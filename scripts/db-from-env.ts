// The database a command-line script works on: Turso when TURSO_DATABASE_URL is set (production),
// else the local file (DATABASE_PATH, default ./data/kontor.db).
import { createClient } from '@libsql/client'
import { databaseFrom, type Db } from '../src/db/client'
import { openLocalDatabase } from '../src/db/local'

export async function openDatabaseFromEnv(env = process.env): Promise<{ db: Db; close: () => void; where: string }> {
  if (env.TURSO_DATABASE_URL) {
    const client = createClient({ url: env.TURSO_DATABASE_URL, authToken: env.TURSO_AUTH_TOKEN })
    return { db: databaseFrom(client), close: () => client.close(), where: env.TURSO_DATABASE_URL }
  }
  const path = env.DATABASE_PATH ?? './data/kontor.db'
  const { db, client } = await openLocalDatabase(path)
  return { db, close: () => client.close(), where: path }
}
