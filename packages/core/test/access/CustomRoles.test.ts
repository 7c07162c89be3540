import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Layer, Redacted, Schema, TestClock } from "effect"
import { Access, AccountStore, Accounts, ConfigStore, Engine, Login, Settings, UserId } from "../../src/index.js"
import { FakeCredentials, Fixtures, MemoryAccountStore, MemoryStore } from "../../src/testing/index.js"

/**
 * Custom roles (OPS-01): a named set of allowed actions in the company settings; a user given one
 * is an operator who may do exactly those actions besides, decided by `Access.can`.
 */
const permissions = Access.Permission.literals
const noWidening = { operatorsMayChangeManager: false, operatorsMayBlockClients: false }
const role = (id: string, granted: ReadonlyArray<Access.Permission>) => Access.CustomRole.make({ id: Schema.decodeSync(Access.CustomRoleId)(id), name: id, permissions: granted })

describe("Access.can with a custom role", () => {
  it.prop("an operator holding a custom role may do exactly the role's actions", [fc.subarray([...permissions])], ([granted]) => {
    const actor = new Access.UserActor({ id: UserId.make("cora"), name: "Cora", role: "operator", customRole: "triage" })
    const settings = { ...noWidening, roles: [role("triage", granted)] }
    for (const permission of permissions) expect(Access.can(actor, permission, settings)).toBe(granted.includes(permission))
  })

  it("a deleted role grants nothing; the built-in roles are unchanged", () => {
    const cora = new Access.UserActor({ id: UserId.make("cora"), name: "Cora", role: "operator", customRole: "gone" })
    expect(permissions.filter((permission) => Access.can(cora, permission, { ...noWidening, roles: [role("triage", permissions)] }))).toEqual([])
    const sue = new Access.UserActor({ id: UserId.make("sue"), name: "Sue", role: "supervisor" })
    expect(Access.can(sue, "settings.manage", { ...noWidening, roles: [] })).toBe(false)
    expect(Access.can(sue, "operators.supervise", { ...noWidening, roles: [] })).toBe(true)
  })

  it("role ids are checked by the settings' Schema, with the path of the bad one", () => {
    const decoded = Schema.decodeUnknownEither(Settings.Settings)({ roles: [{ id: "owner", name: "Fake owner", permissions: [] }, { id: "Bad Id", name: "x", permissions: ["users.manage"] }] })
    expect(Either.isLeft(decoded)).toBe(true)
    const duplicate = Schema.decodeUnknownEither(Settings.Settings)({ roles: [{ id: "a", name: "A", permissions: [] }, { id: "a", name: "B", permissions: [] }] })
    expect(Either.isLeft(duplicate)).toBe(true)
  })
})

const password = Redacted.make("correct horse battery")
const login = Schema.decodeSync(Login)
const layer = Accounts.Accounts.Default.pipe(
  Layer.provideMerge(Layer.mergeAll(Fixtures.engineLayer(MemoryStore.layer), MemoryAccountStore.layer, FakeCredentials.plainHasher, FakeCredentials.sequentialTokens))
)

describe("Accounts.changeRole", () => {
  const given = <A, E>(body: Effect.Effect<A, E, Accounts.Accounts | AccountStore | Engine | ConfigStore>) =>
    Effect.provide(
      Effect.gen(function* () {
        yield* TestClock.setTime(Fixtures.monday)
        const accounts = yield* Accounts.Accounts
        yield* accounts.createUser(Access.system, { userId: UserId.make("olha"), name: "Olha", role: "owner", login: login("olha"), password })
        yield* accounts.createUser(Access.system, { userId: UserId.make("adam"), name: "Adam", role: "admin", login: login("adam"), password })
        yield* accounts.createUser(Access.system, { userId: UserId.make("cora"), name: "Cora", role: "operator", login: login("cora"), password })
        const engine = yield* Engine
        yield* engine.changeSettings(Access.system, { roles: [{ id: "triage", name: "Triage", permissions: ["dialogs.viewAll", "clients.block"] }] })
        return yield* body
      }),
      layer
    )
  const adam = new Access.UserActor({ id: UserId.make("adam"), name: "Adam", role: "admin" })

  it.effect("gives a user a custom role: they sign in with its permissions, and lose them when the role changes", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      yield* accounts.changeRole(adam, UserId.make("cora"), "operator", "triage")
      const signedIn = yield* accounts.signIn({ login: "cora", password, address: "10.0.0.1", device: "test" })
      const engine = yield* Engine
      const settings = yield* (yield* ConfigStore).getSettings()
      expect(signedIn.actor.customRole).toBe("triage")
      expect(Access.can(signedIn.actor, "clients.block", settings)).toBe(true)
      expect(Access.can(signedIn.actor, "users.manage", settings)).toBe(false)
      yield* engine.changeSettings(adam, { roles: [{ id: "triage", name: "Triage", permissions: ["dialogs.viewAll"] }] })
      expect(Access.can(signedIn.actor, "clients.block", yield* (yield* ConfigStore).getSettings())).toBe(false)
    })))

  it.effect("refuses an unknown custom role, one's own role, and an admin making an owner", () =>
    given(Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const reason = (effect: Effect.Effect<unknown, { readonly _tag: string; readonly reason?: string }>) => Effect.map(Effect.flip(effect), (error) => error.reason ?? error._tag)
      expect(yield* reason(accounts.changeRole(adam, UserId.make("cora"), "operator", "nope"))).toBe("UnknownRole")
      expect(yield* reason(accounts.changeRole(adam, UserId.make("adam"), "operator", undefined))).toBe("Forbidden")
      expect(yield* reason(accounts.changeRole(adam, UserId.make("cora"), "owner", undefined))).toBe("Forbidden")
      expect(yield* reason(accounts.changeRole(adam, UserId.make("olha"), "operator", undefined))).toBe("Forbidden")
    })))
})
