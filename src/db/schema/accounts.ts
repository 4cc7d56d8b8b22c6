// Accounts and sign-in (SPEC §1): users, consents, sessions, e-mailed links, throttle counters.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns'

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    language: text('language', { enum: ['en', 'pl', 'it'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    activatedAt: integer('activated_at', { mode: 'timestamp_ms' }),
    isOperator: integer('is_operator', { mode: 'boolean' }).notNull().default(false),
    // TOTP for operators (SPEC §15): the key sealed (src/auth/sealing.ts), and the SHA-256 of the one recovery code.
    totpKey: text('totp_key'),
    totpRecoveryHash: text('totp_recovery_hash'),
    // The last TOTP time step accepted (RFC 6238 counter): that step and earlier ones are refused.
    totpLastStep: integer('totp_last_step'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_unactivated').on(t.activatedAt, t.createdAt)],
)

// Accepted versions of the terms of service, privacy notice and marketing consent (SPEC §1).
export const consents = sqliteTable(
  'consents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['terms', 'privacy', 'marketing'] }).notNull(),
    version: text('version').notNull(),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('consents_user').on(t.userId)],
)

// Lucia-style sessions: the id is the SHA-256 (hex) of the token in the cookie; the token itself is never stored.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    remember: integer('remember', { mode: 'boolean' }).notNull(),
    // An operator's session counts only after the second factor (SPEC §15).
    twoFactorVerified: integer('two_factor_verified', { mode: 'boolean' }).notNull().default(false),
    userAgent: text('user_agent').notNull().default(''),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expiry').on(t.expiresAt)],
)

// Single-use links sent by e-mail; the id is the SHA-256 (hex) of the token in the link.
export const emailTokens = sqliteTable(
  'email_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['activation', 'password_reset'] }).notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('email_tokens_user').on(t.userId, t.purpose), index('email_tokens_expiry').on(t.expiresAt)],
)

// Fixed-window counters for throttling (SPEC §16), incremented with one upsert.
export const throttleHits = sqliteTable(
  'throttle_hits',
  {
    bucket: text('bucket').notNull(),
    key: text('key').notNull(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key, t.windowStart] }), index('throttle_expiry').on(t.expiresAt)],
)
