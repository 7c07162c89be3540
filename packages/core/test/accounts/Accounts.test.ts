import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer, Option, Redacted, Schema, TestClock } from "effect"
import { Access, AccountStore, Accounts, Engine, Login, Operator, PasswordHasher, UserId } from "../../src/index.js"
import { FakeCredentials, Fixtures, MemoryAccountStore, MemoryStore } from "../../src/testing/index.js"

const password = Redacted.make("correct horse battery")
const login = Schema.decodeSync(Login)
const admin = new Access.UserActor({ id: UserId.make("adam"), name: "Adam", role: "admin" })

/** The plain fake, yielding a few times inside each hash so that parallel sign-ins interleave as real hashing would. */
const slowHasher = Layer.effect(
  PasswordHasher,
  Effect.map(PasswordHasher, (plain) => ({
    hash: (password: Redacted.Redacted<string>) => Effect.zipLeft(plain.hash(password), Effect.repeatN(Effect.yieldNow(), 5)),
    verify: (password: Redacted.Redacted<string>, hash: Redacted.Redacted<string>) => Effect.zipLeft(plain.verify(password, hash), Effect.repeatN(Effect.yieldNow(), 5))
  }))
).pipe(Layer.provide(FakeCredentials.plainHasher))

const layerWith = (hasher: Layer.Layer<PasswordHasher>) => Accounts.Accounts.Default.pipe(
  Layer.provideMerge(Layer.mergeAll(Fixtures.engineLayer(MemoryStore.layer), MemoryAccountStore.layer, hasher, FakeCredentials.sequentialTokens))
)

/** Anna (operator), Adam (admin) and Olha (owner) with accounts; the clock at Monday 09:00. */
const given = <A, E>(body: Effect.Effect<A, E, Accounts.Accounts | AccountStore | Engine>, hasher: Layer.Layer<PasswordHasher> = FakeCredentials.plainHasher) =>
  Effect.provide(
    Effect.gen(function* () {
      yield* TestClock.setTime(Fixtures.monday)
      const accounts = yield* Accounts.Accounts
      yield* accounts.createUser(Access.system, { userId: UserId.make("olha"), name: "Olha", role: "owner", login: login("olha@example.com"), password })
      yield* accounts.createUser(Access.system, { userId: admin.id, name: "Adam", role: "admin", login: login("adam@example.com"), password })
      yield* accounts.createUser(Access.system, { userId: Fixtures.anna.id, name: "Anna", role: "operator", login: login("Anna@Example.com"), password })
      return yield* body
    }),
    layerWith(hasher)
  )

const attempt = (loginName: string, secret: Redacted.Redacted<string> = password, address = "10.0.0.1") =>
  Effect.flatMap(Accounts.Accounts, (accounts) => accounts.signIn({ login: loginName, password: secret, address, device: "Firefox" }))

/** The refusal's reason (or its tag, for an error without one). */
const reason = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => ("reason" in error && typeof error.reason === "string" ? error.reason : error._tag))

const signedIn = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(Accounts.Accounts, (accounts) => Effect.map(accounts.authenticate(Redacted.value(token)), Option.isSome))

describe("Accounts: sign-in", () => {
  it.effect("the right password opens a session for the user whatever the login's case; a wrong one or an unknown login get the same answer", () =>
    given(Effect.gen(function* () {
      const session = yield* attempt("  ANNA@example.com ")
      expect(session.actor.id).toBe("anna")
      expect(yield* signedIn(session.token)).toBe(true)
      const wrong = yield* Effect.flip(attempt("anna@example.com", Redacted.make("wrong password!")))
      const unknown = yield* Effect.flip(attempt("nobody@example.com"))
      expect(wrong).toEqual(unknown)
      expect(wrong.reason).toBe("BadCredentials")
    })))

  it.effect("the 6th failure in 15 minutes is throttled with the time to wait; the window passing lets the user in again", () =>
    given(Effect.gen(function* () {
      for (let i = 0; i < 5; i++) expect(yield* reason(attempt("anna@example.com", Redacted.make(`wrong password ${i}`)))).toBe("BadCredentials")
      yield* TestClock.adjust("5 minutes")
      const blocked = yield* Effect.flip(attempt("anna@example.com"))
      expect(blocked.reason).toBe("Throttled")
      expect(blocked.retryAfterSeconds).toBe(10 * 60)
      expect(blocked.message).toBe("Too many failed sign-ins. Wait 10 minutes and try again.")
      yield* TestClock.adjust("10 minutes")
      expect((yield* attempt("anna@example.com")).actor.id).toBe("anna")
    })))

  it.effect("a burst of parallel wrong tries gets 5 answers and 429s, however the hashes interleave", () =>
    Effect.gen(function* () {
      const answers = yield* Effect.all(
        Array.from({ length: 12 }, (_, i) => Effect.flip(attempt("anna@example.com", Redacted.make(`parallel guess ${i}`)))),
        { concurrency: "unbounded" }
      )
      expect(answers.filter((answer) => answer.reason === "BadCredentials")).toHaveLength(5)
      expect(answers.filter((answer) => answer.reason === "Throttled")).toHaveLength(7)
    }).pipe((body) => given(body, slowHasher)))

  it.effect("a success resets the account's counter", () =>
    given(Effect.gen(function* () {
      for (let i = 0; i < 4; i++) yield* Effect.flip(attempt("anna@example.com", Redacted.make("wrong password!")))
      yield* attempt("anna@example.com")
      for (let i = 0; i < 4; i++) expect(yield* reason(attempt("anna@example.com", Redacted.make("wrong password!")))).toBe("BadCredentials")
      expect((yield* attempt("anna@example.com")).actor.id).toBe("anna")
    })))

  it.effect("one address trying many logins is throttled after 20 failures, other addresses are not", () =>
    given(Effect.gen(function* () {
      for (let i = 0; i < 20; i++) yield* Effect.flip(attempt(`guess${i}@example.com`))
      expect(yield* reason(attempt("anna@example.com"))).toBe("Throttled")
      expect((yield* attempt("anna@example.com", password, "10.0.0.2")).actor.id).toBe("anna")
    })))

  it.effect("a password longer than any allowed one fails like a wrong one, and counts", () =>
    given(Effect.gen(function* () {
      const long = Redacted.make("x".repeat(100_000))
      expect(yield* Effect.flip(attempt("anna@example.com", long))).toEqual(yield* Effect.flip(attempt("anna@example.com", Redacted.make("wrong password!"))))
      for (let i = 0; i < 3; i++) yield* Effect.flip(attempt("anna@example.com", long))
      expect(yield* reason(attempt("anna@example.com"))).toBe("Throttled")
    })))

  it.effect("a deactivated user gets no session, even with the right password", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      yield* accounts.setActive(admin, Fixtures.anna.id, false)
      expect(yield* reason(attempt("anna@example.com"))).toBe("Deactivated")
      yield* accounts.setActive(admin, Fixtures.anna.id, true)
      expect((yield* attempt("anna@example.com")).actor.id).toBe("anna")
    })))
})

describe("Accounts: sessions", () => {
  it.effect("a session unused for 12 hours ends; use keeps it alive", () =>
    given(Effect.gen(function* () {
      const { token } = yield* attempt("anna@example.com")
      yield* TestClock.adjust("11 hours")
      expect(yield* signedIn(token)).toBe(true)
      yield* TestClock.adjust("11 hours")
      expect(yield* signedIn(token)).toBe(true)
      yield* TestClock.adjust("12 hours")
      expect(yield* signedIn(token)).toBe(false)
    })))

  it.effect("a session ends 14 days after sign-in however often it is used", () =>
    given(Effect.gen(function* () {
      const { token } = yield* attempt("anna@example.com")
      for (let hours = 0; hours < 14 * 24 - 11; hours += 11) {
        yield* TestClock.adjust("11 hours")
        expect(yield* signedIn(token)).toBe(true)
      }
      yield* TestClock.adjust("11 hours")
      expect(yield* signedIn(token)).toBe(false)
    })))

  it.effect("sign-out, deactivation and a password reset end sessions; ending the others keeps the current one", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const first = yield* attempt("anna@example.com")
      const second = yield* attempt("anna@example.com")
      const third = yield* attempt("anna@example.com")
      yield* accounts.signOut(Redacted.value(first.token))
      expect([yield* signedIn(first.token), yield* signedIn(second.token)]).toEqual([false, true])
      yield* accounts.endOtherSessions(third.actor, third.session.key)
      expect([yield* signedIn(second.token), yield* signedIn(third.token)]).toEqual([false, true])
      expect((yield* accounts.sessions(third.actor)).map((session) => session.key)).toEqual([third.session.key])
      yield* accounts.resetPassword(admin, Fixtures.anna.id, Redacted.make("a brand new passphrase"))
      expect(yield* signedIn(third.token)).toBe(false)
      const fourth = yield* attempt("anna@example.com", Redacted.make("a brand new passphrase"))
      yield* accounts.setActive(admin, Fixtures.anna.id, false)
      expect(yield* signedIn(fourth.token)).toBe(false)
    })))

  it.effect("liveSessions answers, of many streams' sessions at once, those neither signed out nor expired", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const first = yield* attempt("anna@example.com")
      const second = yield* attempt("anna@example.com")
      const admins = yield* attempt("adam@example.com")
      const all = [first.session.key, second.session.key, admins.session.key]
      expect(yield* accounts.liveSessions(all)).toEqual(new Set(all))
      yield* accounts.signOut(Redacted.value(first.token))
      expect(yield* accounts.liveSessions(all)).toEqual(new Set([second.session.key, admins.session.key]))
      yield* TestClock.adjust("11 hours")
      yield* accounts.authenticate(Redacted.value(admins.token))
      yield* TestClock.adjust("2 hours")
      // Anna's second session sat unused past its idle timeout; Adam's was used.
      expect(yield* accounts.liveSessions(all)).toEqual(new Set([admins.session.key]))
      expect(yield* accounts.liveSessions([])).toEqual(new Set())
    })))

  it.effect("deactivating through the engine alone also stops the session at its next request", () =>
    given(Effect.gen(function* () {
      const { token } = yield* attempt("anna@example.com")
      yield* Effect.flatMap(Engine, (engine) => engine.operator(admin, new Operator.SetActive({ userId: Fixtures.anna.id, active: false })))
      expect(yield* signedIn(token)).toBe(false)
    })))
})

describe("Accounts: passwords and permissions", () => {
  it.effect("changing one's password needs the current one, keeps this session and ends the others", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const here = yield* attempt("anna@example.com")
      const elsewhere = yield* attempt("anna@example.com")
      const next = Redacted.make("my new long passphrase")
      expect(yield* reason(accounts.changePassword(here.actor, Redacted.make("not my password"), next, here.session.key))).toBe("WrongPassword")
      expect(yield* reason(accounts.changePassword(here.actor, password, Redacted.make("short"), here.session.key))).toBe("WeakPassword")
      yield* accounts.changePassword(here.actor, password, next, here.session.key)
      expect([yield* signedIn(here.token), yield* signedIn(elsewhere.token)]).toEqual([true, false])
      expect(yield* reason(attempt("anna@example.com"))).toBe("BadCredentials")
      expect((yield* attempt("anna@example.com", next)).actor.id).toBe("anna")
    })))

  it.effect("only owners and admins reset passwords and (de)activate; only an owner touches an owner; nobody deactivates themselves", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const next = Redacted.make("another fine passphrase")
      expect(yield* reason(accounts.resetPassword(Fixtures.anna, admin.id, next))).toBe("Forbidden")
      expect(yield* reason(accounts.setActive(Fixtures.supervisor, Fixtures.anna.id, false))).toBe("Forbidden")
      expect(yield* reason(accounts.resetPassword(admin, UserId.make("olha"), next))).toBe("Forbidden")
      expect(yield* reason(accounts.setActive(admin, UserId.make("olha"), false))).toBe("Forbidden")
      expect(yield* reason(accounts.setActive(admin, admin.id, false))).toBe("Forbidden")
      expect(yield* reason(accounts.createUser(admin, { userId: UserId.make("o2"), name: "Other", role: "owner", login: login("o2"), password: next }))).toBe("Forbidden")
      expect(yield* reason(accounts.createUser(admin, { userId: UserId.make("b"), name: "Bo", role: "operator", login: login("ANNA@example.com"), password: next }))).toBe("LoginTaken")
      expect(yield* reason(accounts.resetPassword(admin, UserId.make("ghost"), next))).toBe("NotFound")
      yield* accounts.resetPassword(admin, Fixtures.anna.id, next)
      expect((yield* attempt("anna@example.com", next)).actor.id).toBe("anna")
    })))
})
