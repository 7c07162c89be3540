import { Effect, Layer, Option } from "effect"
import { AccountExists, AccountStore, type Account, type AccountStoreService, type FailureCount, type SessionKey, type SessionRecord } from "../ports/AccountStore.js"
import type { UserId } from "../shared/Ids.js"

/** An in-memory `AccountStore` (passes the AccountStore contract): tests and the in-memory demo. */
export const make = (): AccountStoreService => makeOver(emptyState())

/** Everything the in-memory account store holds. Records are replaced, never changed in place. */
export interface State {
  readonly accounts: Map<UserId, Account>
  readonly sessions: Map<SessionKey, SessionRecord>
  readonly failures: Map<string, FailureCount>
}

/** No accounts, sessions or failures. */
export const emptyState = (): State => ({ accounts: new Map(), sessions: new Map(), failures: new Map() })

/** A copy of `state` that shares nothing mutable with it: writes to one never show in the other. */
export const copyState = (state: State): State => ({ accounts: new Map(state.accounts), sessions: new Map(state.sessions), failures: new Map(state.failures) })

/** The in-memory account store over a given `State` (which it reads and writes in place). */
export const makeOver = (state: State): AccountStoreService => {
  const { accounts, failures, sessions } = state
  const endSessions = (userId: UserId, keep: Option.Option<SessionKey>) => {
    for (const [key, session] of sessions) if (session.userId === userId && !Option.contains(keep, key)) sessions.delete(key)
  }
  const current = (key: string, now: number, windowMillis: number): FailureCount => {
    const count = failures.get(key)
    return count === undefined || count.windowStart <= now - windowMillis ? { failures: 0, windowStart: now } : count
  }
  return {
    createAccount: (account) =>
      Effect.suspend(() => {
        if (accounts.has(account.userId)) return Effect.fail(new AccountExists({ field: "userId", message: "The user already has an account" }))
        if ([...accounts.values()].some((other) => other.login === account.login)) {
          return Effect.fail(new AccountExists({ field: "login", message: "Another user signs in with this email or login" }))
        }
        accounts.set(account.userId, account)
        return Effect.void
      }),
    account: (userId) => Effect.sync(() => Option.fromNullable(accounts.get(userId))),
    accountByLogin: (login) => Effect.sync(() => Option.fromNullable([...accounts.values()].find((account) => account.login === login))),
    accounts: () => Effect.sync(() => [...accounts.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0))),
    setPassword: (userId, passwordHash, at, keep) =>
      Effect.sync(() => {
        const account = accounts.get(userId)
        if (account === undefined) return
        accounts.set(userId, { ...account, passwordHash, passwordChangedAt: at })
        endSessions(userId, keep)
      }),
    setActive: (userId, active) =>
      Effect.sync(() => {
        const account = accounts.get(userId)
        if (account === undefined) return
        accounts.set(userId, { ...account, active })
        if (!active) endSessions(userId, Option.none())
      }),
    createSession: (session) =>
      Effect.sync(() => {
        if (accounts.get(session.userId)?.active !== true) return false
        sessions.set(session.key, session)
        return true
      }),
    session: (key) => Effect.sync(() => Option.fromNullable(sessions.get(key))),
    sessionsByKey: (keys) => Effect.sync(() => [...new Set(keys)].flatMap((key) => sessions.get(key) ?? [])),
    touchSession: (key, lastSeenAt, idleExpiresAt) =>
      Effect.sync(() => {
        const session = sessions.get(key)
        if (session !== undefined) sessions.set(key, { ...session, lastSeenAt, idleExpiresAt })
      }),
    sessionsOf: (userId) => Effect.sync(() => [...sessions.values()].filter((session) => session.userId === userId).sort((a, b) => b.lastSeenAt - a.lastSeenAt)),
    endSession: (key) => Effect.sync(() => void sessions.delete(key)),
    endSessionsOf: (userId, keep) => Effect.sync(() => endSessions(userId, keep)),
    recordFailure: (key, now, windowMillis) =>
      Effect.sync(() => {
        const base = current(key, now, windowMillis)
        const next = { failures: base.failures + 1, windowStart: base.windowStart }
        failures.set(key, next)
        return next
      }),
    failures: (key, now, windowMillis) => Effect.sync(() => current(key, now, windowMillis)),
    forgiveFailure: (key) =>
      Effect.sync(() => {
        const count = failures.get(key)
        if (count !== undefined && count.failures > 0) failures.set(key, { ...count, failures: count.failures - 1 })
      }),
    clearFailures: (key) => Effect.sync(() => void failures.delete(key)),
    purgeExpired: (now, windowMillis) =>
      Effect.sync(() => {
        for (const [key, session] of sessions) if (session.idleExpiresAt <= now || session.expiresAt <= now) sessions.delete(key)
        for (const [key, count] of failures) if (count.windowStart <= now - windowMillis) failures.delete(key)
      })
  }
}

/** A fresh in-memory account store per layer build. */
export const layer: Layer.Layer<AccountStore> = Layer.sync(AccountStore, make)

/** The account store over `state` for every build of the layer (seed once, give each case a `copyState`). */
export const layerOver = (state: State): Layer.Layer<AccountStore> => Layer.sync(AccountStore, () => makeOver(state))
