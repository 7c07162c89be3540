import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, type Layer, Option, Redacted, Schema } from "effect"
import { AccountStore, Login, SessionKey, type Account, type SessionRecord } from "../ports/AccountStore.js"
import { UserId } from "../shared/Ids.js"

const login = Schema.decodeSync(Login)
const account = (id: string, name: string, active = true): Account => ({
  userId: UserId.make(id),
  login: login(name),
  passwordHash: Redacted.make(`hash-of-${id}`),
  active,
  createdAt: 1_000,
  passwordChangedAt: 1_000
})
const session = (key: string, userId: string, lastSeenAt = 2_000): SessionRecord => ({
  key: SessionKey.make(key),
  userId: UserId.make(userId),
  csrfToken: `csrf-${key}`,
  device: "Firefox on Linux",
  createdAt: 2_000,
  lastSeenAt,
  idleExpiresAt: lastSeenAt + 60_000,
  expiresAt: 2_000 + 600_000
})
const keys = (sessions: ReadonlyArray<SessionRecord>) => sessions.map((found) => found.key as string)

/**
 * The behaviour every `AccountStore` adapter must have. Run it with a layer that builds an empty
 * store (it may provide other services too): `accountStoreContract("PGlite", () => SqlStore.layerPglite())`.
 * A fresh layer is built per test.
 */
export const accountStoreContract = (name: string, makeStore: () => Layer.Layer<AccountStore, unknown>) =>
  describe(`AccountStore contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, AccountStore>) => Effect.scoped(Effect.provide(body, makeStore()))

    it.effect("logins are unique whatever their case; one account per user; the hash round-trips", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        yield* store.createAccount(account("olha", "Olha@Example.com"))
        const byLogin = Option.getOrThrow(yield* store.accountByLogin(login("OLHA@example.COM")))
        expect(byLogin.userId).toBe("olha")
        expect(Redacted.value(byLogin.passwordHash)).toBe("hash-of-olha")
        expect(Option.getOrThrow(yield* store.account(UserId.make("olha"))).login).toBe("olha@example.com")
        expect((yield* Effect.flip(store.createAccount(account("other", "olha@example.com")))).field).toBe("login")
        expect((yield* Effect.flip(store.createAccount(account("olha", "second@example.com")))).field).toBe("userId")
        expect(Option.isNone(yield* store.accountByLogin(login("nobody@example.com")))).toBe(true)
        yield* store.createAccount(account("anna", "anna@example.com"))
        expect((yield* store.accounts()).map((found) => found.userId as string)).toEqual(["anna", "olha"])
      })))

    it.effect("a session is found by its key, touched, listed most recent first and ended one by one", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        yield* store.createAccount(account("anna", "anna"))
        expect(yield* store.createSession(session("k1", "anna", 2_000))).toBe(true)
        expect(yield* store.createSession(session("k2", "anna", 3_000))).toBe(true)
        expect(Option.getOrThrow(yield* store.session(SessionKey.make("k1")))).toEqual(session("k1", "anna", 2_000))
        yield* store.touchSession(SessionKey.make("k1"), 5_000, 65_000)
        const touched = Option.getOrThrow(yield* store.session(SessionKey.make("k1")))
        expect([touched.lastSeenAt, touched.idleExpiresAt, touched.expiresAt]).toEqual([5_000, 65_000, 602_000])
        expect(keys(yield* store.sessionsOf(UserId.make("anna")))).toEqual(["k1", "k2"])
        yield* store.endSession(SessionKey.make("k1"))
        expect(Option.isNone(yield* store.session(SessionKey.make("k1")))).toBe(true)
        // Many at once: the ones that exist, each once.
        expect(yield* store.sessionsByKey([])).toEqual([])
        expect((yield* store.sessionsByKey([SessionKey.make("k1"), SessionKey.make("k2"), SessionKey.make("k2"), SessionKey.make("nope")])).map((found) => found.key)).toEqual(["k2"])
        expect(keys(yield* store.sessionsOf(UserId.make("anna")))).toEqual(["k2"])
      })))

    it.effect("ending a user's sessions keeps the one asked for and leaves other users' alone", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        yield* store.createAccount(account("anna", "anna"))
        yield* store.createAccount(account("boris", "boris"))
        for (const [key, user] of [["a1", "anna"], ["a2", "anna"], ["a3", "anna"], ["b1", "boris"]] as const) yield* store.createSession(session(key, user))
        yield* store.endSessionsOf(UserId.make("anna"), Option.some(SessionKey.make("a2")))
        expect(keys(yield* store.sessionsOf(UserId.make("anna")))).toEqual(["a2"])
        expect(keys(yield* store.sessionsOf(UserId.make("boris")))).toEqual(["b1"])
      })))

    it.effect("a new password ends the user's other sessions in the same write", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        yield* store.createAccount(account("anna", "anna"))
        yield* store.createSession(session("a1", "anna"))
        yield* store.createSession(session("a2", "anna"))
        yield* store.setPassword(UserId.make("anna"), Redacted.make("new-hash"), 9_000, Option.some(SessionKey.make("a1")))
        const changed = Option.getOrThrow(yield* store.account(UserId.make("anna")))
        expect([Redacted.value(changed.passwordHash), changed.passwordChangedAt]).toEqual(["new-hash", 9_000])
        expect(keys(yield* store.sessionsOf(UserId.make("anna")))).toEqual(["a1"])
        yield* store.setPassword(UserId.make("anna"), Redacted.make("newer-hash"), 9_500, Option.none())
        expect(yield* store.sessionsOf(UserId.make("anna"))).toEqual([])
      })))

    it.effect("deactivation ends every session, and an inactive or unknown account gets no new one", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        yield* store.createAccount(account("anna", "anna"))
        yield* store.createSession(session("a1", "anna"))
        yield* store.setActive(UserId.make("anna"), false)
        expect(Option.isNone(yield* store.session(SessionKey.make("a1")))).toBe(true)
        expect(Option.getOrThrow(yield* store.account(UserId.make("anna"))).active).toBe(false)
        expect(yield* store.createSession(session("a2", "anna"))).toBe(false)
        expect(yield* store.createSession(session("x1", "nobody"))).toBe(false)
        expect(Option.isNone(yield* store.session(SessionKey.make("a2")))).toBe(true)
        yield* store.setActive(UserId.make("anna"), true)
        expect(yield* store.createSession(session("a3", "anna"))).toBe(true)
      })))

    it.effect("failure counters count per key within a window, restart after it, take one back (never below zero), and clear", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        const window = 15 * 60_000
        expect(yield* store.failures("login:anna", 10_000, window)).toEqual({ failures: 0, windowStart: 10_000 })
        expect(yield* store.recordFailure("login:anna", 10_000, window)).toEqual({ failures: 1, windowStart: 10_000 })
        expect(yield* store.recordFailure("login:anna", 20_000, window)).toEqual({ failures: 2, windowStart: 10_000 })
        yield* store.recordFailure("address:10.0.0.1", 20_000, window)
        expect(yield* store.failures("login:anna", 10_000 + window - 1, window)).toEqual({ failures: 2, windowStart: 10_000 })
        expect((yield* store.failures("login:anna", 10_000 + window, window)).failures).toBe(0)
        expect(yield* store.recordFailure("login:anna", 10_000 + window, window)).toEqual({ failures: 1, windowStart: 10_000 + window })
        yield* store.forgiveFailure("login:anna")
        expect((yield* store.failures("login:anna", 10_000 + window, window)).failures).toBe(0)
        yield* store.forgiveFailure("login:anna")
        expect(yield* store.recordFailure("login:anna", 10_000 + window, window)).toEqual({ failures: 1, windowStart: 10_000 + window })
        yield* store.clearFailures("login:anna")
        expect((yield* store.failures("login:anna", 10_000 + window, window)).failures).toBe(0)
        expect((yield* store.failures("address:10.0.0.1", 20_000, window)).failures).toBe(1)
      })))

    it.effect("parallel failures are each counted once", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        const counts = yield* Effect.all(Array.from({ length: 12 }, () => store.recordFailure("login:burst", 1_000, 60_000)), { concurrency: "unbounded" })
        expect(counts.map((count) => count.failures).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1))
      })))

    it.effect("purging drops expired sessions (idle or absolute) and keeps live ones and the counters of the current window", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        yield* store.createAccount(account("anna", "anna"))
        yield* store.createSession({ ...session("idle", "anna"), idleExpiresAt: 5_000 })
        yield* store.createSession({ ...session("old", "anna"), idleExpiresAt: 4_000, expiresAt: 4_000 })
        yield* store.createSession({ ...session("live", "anna"), idleExpiresAt: 5_001 })
        yield* store.recordFailure("spent", 1_000, 3_000)
        yield* store.recordFailure("current", 2_001, 3_000)
        yield* store.purgeExpired(5_000, 3_000)
        expect(keys(yield* store.sessionsOf(UserId.make("anna")))).toEqual(["live"])
        expect(yield* store.failures("current", 5_000, 3_000)).toEqual({ failures: 1, windowStart: 2_001 })
      })))

    it.effect("a counter holds the failures since its window began, for any spacing of attempts (sampled)", () =>
      run(Effect.gen(function* () {
        const store = yield* AccountStore
        const window = 30
        const samples = fc.sample(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }), 40)
        for (const [index, gaps] of samples.entries()) {
          let now = 0
          let expected = { failures: 0, windowStart: 0 }
          for (const gap of gaps) {
            now += gap
            expected = expected.failures === 0 || expected.windowStart <= now - window ? { failures: 1, windowStart: now } : { failures: expected.failures + 1, windowStart: expected.windowStart }
            expect(yield* store.recordFailure(`k${index}`, now, window)).toEqual(expected)
          }
          expect(yield* store.failures(`k${index}`, now, window)).toEqual(expected)
        }
      })))
  })
