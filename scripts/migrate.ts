// npm run db:migrate: applies migrations/ to the database (Turso when TURSO_DATABASE_URL is set —
// the deploy step for the Worker, which can't read migrations/ itself — else the local file).
import { migrateDatabase } from '../src/db/local'
import { openDatabaseFromEnv } from './db-from-env'

const { db, close, where } = await openDatabaseFromEnv()
await migrateDatabase(db)
close()
console.log(`Migrations applied to ${where}`)
