import { Context, type Effect, type Option, Schema } from "effect"
import { Instant, UserId } from "../shared/Ids.js"

/**
 * A sign-in name: an email or a login. Trimmed and lower-cased on decode, so two spellings that
 * differ only in case are the same account; no spaces or control characters.
 */
export const Login = Schema.compose(Schema.Trim, Schema.Lowercase).pipe(
  Schema.minLength(1, { message: () => "Enter your email or login" }),
  Schema.maxLength(254, { message: () => "An email or login is at most 254 characters" }),
  Schema.pattern(/^[^\s\p{Cc}\p{Cs}]+$/u, { message: () => "An email or login has no spaces or control characters" }),
  Schema.brand("Login")
)
export type Login = typeof Login.Type

/** The store's key of a session: a hash of the random id the cookie holds (never the id itself). */
export const SessionKey = Schema.String.pipe(Schema.brand("SessionKey"))
export type SessionKey = typeof SessionKey.Type

/**
 * A user's sign-in identity. `passwordHash` is opaque to the store (the `PasswordHasher`
 * encodes its algorithm and parameters in it) and redacted so it never reaches a log.
 */
export const Account = Schema.Struct({
  userId: UserId,
  login: Login,
  passwordHash: Schema.Redacted(Schema.String),
  active: Schema.Boolean,
  createdAt: Instant,
  passwordChangedAt: Instant
})
export type Account = typeof Account.Type

/**
 * A server-side session. It is valid while `now` is before both `idleExpiresAt` (moved on by
 * use) and `expiresAt` (fixed at sign-in). `csrfToken` is the token the session's forms carry.
 */
export const SessionRecord = Schema.Struct({
  key: SessionKey,
  userId: UserId,
  csrfToken: Schema.String,
  /** The browser's user agent, cut short: what the sessions page calls the device. */
  device: Schema.String,
  createdAt: Instant,
  lastSeenAt: Instant,
  idleExpiresAt: Instant,
  expiresAt: Instant
})
export type SessionRecord = typeof SessionRecord.Type

/** Failed sign-ins counted under one key (an account's login or a client address) in the current window. */
export interface FailureCount {
  readonly failures: number
  /** When the window that holds these failures began. */
  readonly windowStart: Instant
}

/** Another account already signs in with this login, or the user already has an account. */
export class AccountExists extends Schema.TaggedError<AccountExists>()("AccountExists", {
  field: Schema.Literal("login", "userId"),
  message: Schema.String
}) {}

/**
 * Accounts, server-side sessions and sign-in failure counters. Every server of a deployment
 * shares one, so a sign-out, a deactivation or a throttle holds on all of them at once.
 *
 * Invariants every adapter keeps (the contract suite checks them):
 * - logins are unique (they arrive lower-cased), one account per user;
 * - `setPassword` and `setActive(…, false)` end the user's sessions in the same write;
 * - `createSession` creates nothing for an inactive or missing account;
 * - a failure counter counts atomically and restarts when its window has passed.
 */
export interface AccountStoreService {
  readonly createAccount: (account: Account) => Effect.Effect<void, AccountExists>
  readonly account: (userId: UserId) => Effect.Effect<Option.Option<Account>>
  readonly accountByLogin: (login: Login) => Effect.Effect<Option.Option<Account>>
  /** Every account, by login. */
  readonly accounts: () => Effect.Effect<ReadonlyArray<Account>>
  /** Replace the password hash and end every session of the user except `keep`. */
  readonly setPassword: (userId: UserId, passwordHash: Account["passwordHash"], at: Instant, keep: Option.Option<SessionKey>) => Effect.Effect<void>
  /** Activate or deactivate; deactivating ends every session of the user. */
  readonly setActive: (userId: UserId, active: boolean) => Effect.Effect<void>
  /** Store a new session; `false` (and nothing stored) when the account is missing or inactive. */
  readonly createSession: (session: SessionRecord) => Effect.Effect<boolean>
  /** The session with this key, expired or not (the caller decides). One indexed read. */
  readonly session: (key: SessionKey) => Effect.Effect<Option.Option<SessionRecord>>
  /** The sessions with these keys that exist, expired or not, in one read (a server's recheck of all its live streams). */
  readonly sessionsByKey: (keys: ReadonlyArray<SessionKey>) => Effect.Effect<ReadonlyArray<SessionRecord>>
  /** Record use: move `lastSeenAt` and the idle expiry on. */
  readonly touchSession: (key: SessionKey, lastSeenAt: Instant, idleExpiresAt: Instant) => Effect.Effect<void>
  /** The user's sessions, most recently used first. */
  readonly sessionsOf: (userId: UserId) => Effect.Effect<ReadonlyArray<SessionRecord>>
  readonly endSession: (key: SessionKey) => Effect.Effect<void>
  /** End every session of the user except `keep`. */
  readonly endSessionsOf: (userId: UserId, keep: Option.Option<SessionKey>) => Effect.Effect<void>
  /**
   * Count a sign-in attempt under `key` at `now` as failed (atomically, returning the new count); a
   * window older than `windowMillis` starts over. Sign-in counts before checking the password, so
   * parallel tries cannot all slip under the limit.
   */
  readonly recordFailure: (key: string, now: Instant, windowMillis: number) => Effect.Effect<FailureCount>
  /** Take one counted failure back (an attempt that succeeded after all); never below zero. */
  readonly forgiveFailure: (key: string) => Effect.Effect<void>
  /** The failures under `key` in the window that holds `now` (0 when it has passed). */
  readonly failures: (key: string, now: Instant, windowMillis: number) => Effect.Effect<FailureCount>
  readonly clearFailures: (key: string) => Effect.Effect<void>
  /** Drop sessions expired at `now` (idle or absolute) and counters whose window has passed. */
  readonly purgeExpired: (now: Instant, windowMillis: number) => Effect.Effect<void>
}

/** The accounts, sessions and sign-in throttle port. */
export class AccountStore extends Context.Tag("@switchboard/core/AccountStore")<AccountStore, AccountStoreService>() {}
