// The statements worth keeping prepared (the hottest calls' SQL, exactly as sent). Only a registry:
// Node's file database runs a batch of these on a connection that keeps them prepared
// (src/db/prepared.ts); Workers, over HTTP, send them like any other.
const hot = new Set<string>()

export function keepPrepared(statements: readonly string[]): void {
  for (const sql of statements) hot.add(sql)
}

export function isKeptPrepared(sql: string): boolean {
  return hot.has(sql)
}
