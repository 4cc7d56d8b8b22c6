// Column helpers shared by the schema files. Times are UTC, stored as integer milliseconds.
import { integer } from 'drizzle-orm/sqlite-core'

export const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull()
