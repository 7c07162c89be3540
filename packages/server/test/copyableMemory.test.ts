import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import { Access, AccountStore, ChannelSecretStore, ComposerStore, ConfigStore, Dialog, Engine, FileStore, Login, Operator, OutboxStore, PersonalSettings, PresenceStore, QuickReply, SessionKey, TimerStore, UserId, WidgetSession, WidgetSessionStore, WidgetSettings } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { RandomIds } from "@switchboard/adapters"
import { copyState, emptyState, filesOver, layerOver, type State } from "../src/testing.js"

/**
 * `copyState` gives a test a copy of a seeded state that shares nothing mutable with it: what is
 * written to the copy never shows in the original, and what is written to the original never
 * shows in the copy, for every store a server runs on (RoleMatrix gives each cell a copy on the
 * strength of this).
 */

/** Every map, array and record of a state as plain data, in order: what "holds the same" means here. */
const contents = (value: unknown): unknown => {
  if (value instanceof Map) return [...value].map(([key, item]) => [contents(key), contents(item)])
  if (Array.isArray(value)) return value.map(contents)
  if (value instanceof Uint8Array) return [...value]
  if (Redacted.isRedacted(value)) return { redacted: contents(Redacted.value(value)) }
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, contents(item)]))
  return value
}

/** One store's contents as a string, to compare. */
const of = (state: State, store: keyof State) => JSON.stringify(contents(state[store]))

const stores: ReadonlyArray<keyof State> = ["store", "accounts", "widgetSessions", "composer", "files"]

/** The engine and every storage port over `state`, as a server has them (real ids, so work run twice on one state does not collide). */
const over = (state: State) =>
  Engine.Default.pipe(
    Layer.provideMerge(Layer.mergeAll(layerOver(state), RandomIds.layer)),
    Layer.merge(filesOver(state))
  )

const { anna, inbound, owner, telegram, text } = Fixtures

/**
 * A day's work on every store, marked `mark`: into existing streams and maps (a known client's
 * dialog gets another message) and new ones (a new client, operator, account, file...), every
 * kind of write each in-memory store has.
 */
const work = (mark: string) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    // The event store: a new client's dialog, a message into the regular client's dialog (an
    // existing stream and message map), an operator, a reply (outbox), settings (audit).
    const fresh = yield* engine.receive(inbound(`client-${mark}`, `hello from ${mark}`))
    yield* engine.receive(inbound("regular", `again, ${mark}`))
    yield* engine.operator(owner, new Operator.RegisterOperator({ userId: UserId.make(`op-${mark}`), name: mark, role: "operator" }))
    yield* engine.execute(anna, new Dialog.Accept({ dialogId: fresh.dialogId }))
    yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: fresh.dialogId, input: text(`answer ${mark}`) }))
    yield* engine.changeSettings(Access.system, { roles: [{ id: `role-${mark}`, name: mark, permissions: [] }] })
    yield* (yield* OutboxStore).claimOutbox(Number.MAX_SAFE_INTEGER, 10, 1_000)
    yield* (yield* TimerStore).claimDue(Number.MAX_SAFE_INTEGER, 10, 1_000)
    yield* (yield* PresenceStore).recordPresence(anna.id, "online", Date.now())
    yield* (yield* ChannelSecretStore).putSecrets(telegram.id, { token: Redacted.make(mark) })
    // The account store: an account, a session, a failed sign-in; the seeded account's sessions end.
    const accounts = yield* AccountStore
    const userId = UserId.make(`user-${mark}`)
    const at = Date.now()
    yield* accounts.createAccount({ userId, login: Schema.decodeSync(Login)(`${mark}@example.com`), passwordHash: Redacted.make(mark), active: true, createdAt: at, passwordChangedAt: at })
    yield* accounts.createSession({ key: SessionKey.make(`session-${mark}`), userId, csrfToken: mark, device: mark, createdAt: at, lastSeenAt: at, idleExpiresAt: at + 60_000, expiresAt: at + 60_000 })
    yield* accounts.recordFailure(`${mark}@example.com`, at, 60_000)
    yield* accounts.endSessionsOf(UserId.make("seeded"), Option.none())
    // The widget's sessions and settings.
    const widget = yield* WidgetSessionStore
    yield* widget.create(Schema.decodeUnknownSync(WidgetSession)({ key: `widget-${mark}`, channelId: "web", visitorId: mark, user: null, name: null, email: null, language: null, attributes: {}, createdAt: at, lastSeenAt: at }))
    yield* widget.saveSettings(Schema.decodeUnknownSync(WidgetSettings)({ channelId: "web", colour: "#123456", position: "left", greetings: { en: mark }, language: "en", identitySecret: null }))
    // The composer's quick replies, preferences and personal settings.
    const composer = yield* ComposerStore
    yield* composer.putQuickReply(Schema.decodeUnknownSync(QuickReply.QuickReply)({ id: `reply-${mark}`, owner: null, category: mark, title: mark, text: mark, createdAt: at }))
    yield* composer.savePreferences(Schema.decodeUnknownSync(QuickReply.ComposerPreferences)({ userId: "anna", sendKey: "enter", signature: mark }))
    yield* composer.savePersonal(Schema.decodeUnknownSync(PersonalSettings.PersonalSettings)({ userId: "anna", notifications: { desktop: false, sound: mark.length % 2 === 0 } }))
    // The file store: a file, and the seeded one removed.
    const files = yield* FileStore
    yield* files.put({ name: `${mark}.txt`, mime: "text/plain", bytes: new TextEncoder().encode(mark) })
    yield* files.remove((yield* Effect.orDie(files.put({ name: "gone.txt", mime: "text/plain", bytes: new Uint8Array([1]) }))).id)
  })

/** A seeded state: the fixtures' Telegram channel, Anna online, a regular client with a dialog, an account, a day's work. */
const seeded = Effect.gen(function* () {
  const state = emptyState()
  yield* Effect.provide(
    Effect.gen(function* () {
      const engine = yield* Engine
      yield* (yield* ConfigStore).putChannel(telegram)
      yield* engine.operator(owner, new Operator.RegisterOperator({ userId: anna.id, name: anna.name, role: anna.role }))
      yield* engine.operator(owner, new Operator.SetStatus({ userId: anna.id, statusId: "online" }))
      yield* engine.operator(owner, new Operator.SetRouting({ userId: anna.id, capacity: { telegram: 10 }, skills: [], queues: [] }))
      yield* engine.receive(inbound("regular", "hello"))
      yield* (yield* AccountStore).createAccount({ userId: UserId.make("seeded"), login: Schema.decodeSync(Login)("seeded"), passwordHash: Redacted.make("seed"), active: true, createdAt: 0, passwordChangedAt: 0 })
      yield* (yield* AccountStore).createSession({ key: SessionKey.make("seeded"), userId: UserId.make("seeded"), csrfToken: "seeded", device: "seeded", createdAt: 0, lastSeenAt: 0, idleExpiresAt: Number.MAX_SAFE_INTEGER, expiresAt: Number.MAX_SAFE_INTEGER })
      yield* work("seed")
    }),
    over(state)
  )
  return state
})

describe("copyState", () => {
  it.live("a copy holds what the original holds, store by store", () =>
    Effect.gen(function* () {
      const original = yield* seeded
      const copy = copyState(original)
      for (const store of stores) expect(of(copy, store), store).toBe(of(original, store))
      // Not vacuous: the seeding wrote to every store.
      for (const store of stores) expect(of(original, store), store).not.toBe(of(emptyState(), store))
    }))

  it.live("what is written to the copy never shows in the original", () =>
    Effect.gen(function* () {
      const original = yield* seeded
      const before = Object.fromEntries(stores.map((store) => [store, of(original, store)]))
      const copy = copyState(original)
      yield* Effect.provide(work("copy"), over(copy))
      for (const store of stores) {
        expect(of(copy, store), `${store}: the copy was written`).not.toBe(before[store])
        expect(of(original, store), `${store}: the original is as it was`).toBe(before[store])
      }
    }))

  it.live("what is written to the original never shows in the copy", () =>
    Effect.gen(function* () {
      const original = yield* seeded
      const copy = copyState(original)
      const before = Object.fromEntries(stores.map((store) => [store, of(copy, store)]))
      yield* Effect.provide(work("original"), over(original))
      for (const store of stores) {
        expect(of(original, store), `${store}: the original was written`).not.toBe(before[store])
        expect(of(copy, store), `${store}: the copy is as it was`).toBe(before[store])
      }
    }))

  it.live("two copies of one state are independent of each other", () =>
    Effect.gen(function* () {
      const original = yield* seeded
      const first = copyState(original)
      const second = copyState(original)
      yield* Effect.provide(work("first"), over(first))
      for (const store of stores) expect(of(second, store), store).toBe(of(original, store))
    }))
})
