import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer, Option, Redacted } from "effect"
import { AccountExists, AccountStore, type Account, type AccountStoreService, type FailureCount, type Login, type SessionKey, type SessionRecord, type UserId } from "@switchboard/core"
import * as Migrations from "./Migrations.js"

interface AccountRow {
  readonly user_id: string
  readonly login: string
  readonly password_hash: string
  readonly active: boolean
  readonly created_at: string | number
  readonly password_changed_at: string | number
}

interface SessionRow {
  readonly key: string
  readonly user_id: string
  readonly csrf_token: string
  readonly device: string
  readonly created_at: string | number
  readonly last_seen_at: string | number
  readonly idle_expires_at: string | number
  readonly expires_at: string | number
}

/** `bigint` columns arrive as strings from node-postgres and as numbers from PGlite. */
const num = (value: string | number): number => (typeof value === "number" ? value : Number(value))

const toAccount = (row: AccountRow): Account => ({
  userId: row.user_id as UserId,
  login: row.login as Login,
  passwordHash: Redacted.make(row.password_hash),
  active: row.active,
  createdAt: num(row.created_at),
  passwordChangedAt: num(row.password_changed_at)
})

const toSession = (row: SessionRow): SessionRecord => ({
  key: row.key as SessionKey,
  userId: row.user_id as UserId,
  csrfToken: row.csrf_token,
  device: row.device,
  createdAt: num(row.created_at),
  lastSeenAt: num(row.last_seen_at),
  idleExpiresAt: num(row.idle_expires_at),
  expiresAt: num(row.expires_at)
})

/**
 * The `AccountStore` on PostgreSQL's dialect (PostgreSQL or PGlite), over the tables of migration
 * 15. A session is read by its primary key; ending sessions with a password change or a
 * deactivation happens in the same transaction, after the account row is locked, so a sign-in
 * racing with it cannot leave a session behind.
 */
export const make: Effect.Effect<AccountStoreService, never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const die = <A>(effect: Effect.Effect<A, SqlError>) => Effect.orDie(effect)
  const keepKey = (keep: Option.Option<SessionKey>): string | null => Option.getOrNull(keep)

  const windowOf = (row: { readonly window_start: string | number; readonly failures: number } | undefined, now: number, windowMillis: number): FailureCount =>
    row === undefined || num(row.window_start) <= now - windowMillis ? { failures: 0, windowStart: now } : { failures: row.failures, windowStart: num(row.window_start) }

  return {
    createAccount: (account) =>
      Effect.gen(function* () {
        const inserted = yield* die(sql<{ readonly user_id: string }>`
          INSERT INTO accounts (user_id, login, password_hash, active, created_at, password_changed_at)
          VALUES (${account.userId}, ${account.login}, ${Redacted.value(account.passwordHash)}, ${account.active}, ${account.createdAt}, ${account.passwordChangedAt})
          ON CONFLICT DO NOTHING RETURNING user_id`)
        if (inserted.length > 0) return
        const sameUser = yield* die(sql<{ readonly user_id: string }>`SELECT user_id FROM accounts WHERE user_id = ${account.userId}`)
        return yield* Effect.fail(
          sameUser.length > 0
            ? new AccountExists({ field: "userId", message: "The user already has an account" })
            : new AccountExists({ field: "login", message: "Another user signs in with this email or login" })
        )
      }),
    account: (userId) => Effect.map(die(sql<AccountRow>`SELECT * FROM accounts WHERE user_id = ${userId}`), (rows) => Option.map(Option.fromNullable(rows[0]), toAccount)),
    accountByLogin: (login) => Effect.map(die(sql<AccountRow>`SELECT * FROM accounts WHERE login = ${login}`), (rows) => Option.map(Option.fromNullable(rows[0]), toAccount)),
    accounts: () => Effect.map(die(sql<AccountRow>`SELECT * FROM accounts ORDER BY login COLLATE "C"`), (rows) => rows.map(toAccount)),
    setPassword: (userId, passwordHash, at, keep) =>
      die(sql.withTransaction(Effect.gen(function* () {
        yield* sql`UPDATE accounts SET password_hash = ${Redacted.value(passwordHash)}, password_changed_at = ${at} WHERE user_id = ${userId}`
        yield* sql`DELETE FROM account_sessions WHERE user_id = ${userId} AND (${keepKey(keep)}::text IS NULL OR key <> ${keepKey(keep)})`
      }))),
    setActive: (userId, active) =>
      die(sql.withTransaction(Effect.gen(function* () {
        yield* sql`UPDATE accounts SET active = ${active} WHERE user_id = ${userId}`
        if (!active) yield* sql`DELETE FROM account_sessions WHERE user_id = ${userId}`
      }))),
    createSession: (session) =>
      Effect.map(
        die(sql<{ readonly key: string }>`
          INSERT INTO account_sessions (key, user_id, csrf_token, device, created_at, last_seen_at, idle_expires_at, expires_at)
          SELECT ${session.key}, ${session.userId}, ${session.csrfToken}, ${session.device}, ${session.createdAt}, ${session.lastSeenAt}, ${session.idleExpiresAt}, ${session.expiresAt}
          WHERE EXISTS (SELECT 1 FROM accounts WHERE user_id = ${session.userId} AND active FOR SHARE)
          RETURNING key`),
        (rows) => rows.length > 0
      ),
    session: (key) => Effect.map(die(sql<SessionRow>`SELECT * FROM account_sessions WHERE key = ${key}`), (rows) => Option.map(Option.fromNullable(rows[0]), toSession)),
    sessionsByKey: (keys) =>
      keys.length === 0
        ? Effect.succeed([])
        : Effect.map(die(sql.unsafe<SessionRow>(`SELECT * FROM account_sessions WHERE key = ANY($1::text[])`, [[...new Set(keys)]])), (rows) => rows.map(toSession)),
    touchSession: (key, lastSeenAt, idleExpiresAt) =>
      Effect.asVoid(die(sql`UPDATE account_sessions SET last_seen_at = ${lastSeenAt}, idle_expires_at = ${idleExpiresAt} WHERE key = ${key}`)),
    sessionsOf: (userId) =>
      Effect.map(die(sql<SessionRow>`SELECT * FROM account_sessions WHERE user_id = ${userId} ORDER BY last_seen_at DESC, key COLLATE "C"`), (rows) => rows.map(toSession)),
    endSession: (key) => Effect.asVoid(die(sql`DELETE FROM account_sessions WHERE key = ${key}`)),
    endSessionsOf: (userId, keep) =>
      Effect.asVoid(die(sql`DELETE FROM account_sessions WHERE user_id = ${userId} AND (${keepKey(keep)}::text IS NULL OR key <> ${keepKey(keep)})`)),
    recordFailure: (key, now, windowMillis) =>
      Effect.map(
        die(sql<{ readonly window_start: string | number; readonly failures: number }>`
          INSERT INTO sign_in_failures AS f (key, window_start, failures) VALUES (${key}, ${now}, 1)
          ON CONFLICT (key) DO UPDATE SET
            window_start = CASE WHEN f.window_start <= ${now - windowMillis} THEN excluded.window_start ELSE f.window_start END,
            failures = CASE WHEN f.window_start <= ${now - windowMillis} THEN 1 ELSE f.failures + 1 END
          RETURNING window_start, failures`),
        (rows) => ({ failures: rows[0]?.failures ?? 1, windowStart: num(rows[0]?.window_start ?? now) })
      ),
    failures: (key, now, windowMillis) =>
      Effect.map(die(sql<{ readonly window_start: string | number; readonly failures: number }>`SELECT window_start, failures FROM sign_in_failures WHERE key = ${key}`), (rows) =>
        windowOf(rows[0], now, windowMillis)
      ),
    forgiveFailure: (key) => Effect.asVoid(die(sql`UPDATE sign_in_failures SET failures = failures - 1 WHERE key = ${key} AND failures > 0`)),
    clearFailures: (key) => Effect.asVoid(die(sql`DELETE FROM sign_in_failures WHERE key = ${key}`)),
    // A session's idle expiry is never after its absolute one, so one indexed bound covers both.
    purgeExpired: (now, windowMillis) =>
      die(Effect.all([
        sql`DELETE FROM account_sessions WHERE idle_expires_at <= ${now} OR expires_at <= ${now}`,
        sql`DELETE FROM sign_in_failures WHERE window_start <= ${now - windowMillis}`
      ], { discard: true }))
  }
})

/**
 * The account store on a provided `SqlClient`. It expects the schema from `Migrations`; the
 * `SqlStore` layers that provide it migrate first (use `layerMigrated` on its own).
 */
export const layer: Layer.Layer<AccountStore, never, SqlClient.SqlClient> = Layer.effect(AccountStore, make)

/** The account store on a provided `SqlClient`, migrating the schema first. */
export const layerMigrated: Layer.Layer<AccountStore, SqlError | Migrations.SchemaTooNew, SqlClient.SqlClient> = Layer.effect(
  AccountStore,
  Effect.zipRight(Migrations.run(), make)
)
