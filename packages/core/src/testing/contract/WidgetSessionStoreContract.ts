import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, type Layer, Option, Redacted } from "effect"
import { SessionKey } from "../../ports/AccountStore.js"
import { type WidgetSession, WidgetSessionStore, type WidgetSettings } from "../../ports/WidgetSessionStore.js"
import { ChannelId, Language } from "../../shared/Ids.js"

const session = (key: string, overrides: Partial<WidgetSession> = {}): WidgetSession => ({
  key: SessionKey.make(key),
  channelId: ChannelId.make("website"),
  visitorId: `v-${key}`,
  user: Option.none(),
  name: Option.none(),
  email: Option.none(),
  language: Option.none(),
  attributes: {},
  createdAt: 1_000,
  lastSeenAt: 1_000,
  ...overrides
})

const settings = (channelId: string, secret?: string): WidgetSettings => ({
  channelId: ChannelId.make(channelId),
  colour: "#0055aa",
  position: "right",
  greetings: { [Language.make("en")]: "Hi! How can we help?", [Language.make("uk")]: "Вітаємо! Чим допомогти?" },
  language: Language.make("en"),
  identitySecret: secret === undefined ? Option.none() : Option.some(Redacted.make(secret))
})

/** What a test compares of settings: the secret's value instead of its redacted wrapper. */
const plain = (value: WidgetSettings) => ({ ...value, identitySecret: Option.map(value.identitySecret, Redacted.value) })

/**
 * The behaviour every `WidgetSessionStore` adapter must have. Run it with a layer that builds an
 * empty store (it may provide other services too); a fresh layer is built per test.
 */
export const widgetSessionStoreContract = (name: string, makeStore: () => Layer.Layer<WidgetSessionStore, unknown>) =>
  describe(`WidgetSessionStore contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, WidgetSessionStore>) => Effect.scoped(Effect.provide(body, makeStore()))

    it.effect("a session is found by its key exactly as created; a key is used once; an unknown key finds nothing", () =>
      run(Effect.gen(function* () {
        const store = yield* WidgetSessionStore
        const first = session("k1", { attributes: { plan: "pro", "page.url": "https://shop.example/cart?x=<b>" }, language: Option.some(Language.make("uk")) })
        expect(yield* store.create(first)).toBe(true)
        expect(yield* store.create(session("k1", { visitorId: "someone-else" }))).toBe(false)
        expect(Option.getOrThrow(yield* store.find(SessionKey.make("k1")))).toEqual(first)
        expect(Option.isNone(yield* store.find(SessionKey.make("nope")))).toBe(true)
      })))

    it.effect("save replaces what changes (user, profile, attributes, last seen) but never the channel or the start", () =>
      run(Effect.gen(function* () {
        const store = yield* WidgetSessionStore
        yield* store.create(session("k1"))
        const changed = session("k1", {
          channelId: ChannelId.make("other"),
          createdAt: 9_999,
          visitorId: "user:42",
          user: Option.some({ id: "42", verified: true }),
          name: Option.some("Olha"),
          email: Option.some("olha@example.com"),
          attributes: { plan: "free" },
          lastSeenAt: 5_000
        })
        yield* store.save(changed)
        expect(Option.getOrThrow(yield* store.find(SessionKey.make("k1")))).toEqual({ ...changed, channelId: "website", createdAt: 1_000 })
        // A session that is gone stays gone.
        yield* store.save(session("gone"))
        expect(Option.isNone(yield* store.find(SessionKey.make("gone")))).toBe(true)
      })))

    it.effect("settings per channel round-trip, secret included, and are replaced whole", () =>
      run(Effect.gen(function* () {
        const store = yield* WidgetSessionStore
        expect(Option.isNone(yield* store.settings(ChannelId.make("website")))).toBe(true)
        yield* store.saveSettings(settings("website", "s3cret"))
        yield* store.saveSettings(settings("other"))
        expect(plain(Option.getOrThrow(yield* store.settings(ChannelId.make("website"))))).toEqual(plain(settings("website", "s3cret")))
        yield* store.saveSettings({ ...settings("website"), colour: "#112233", position: "left" })
        expect(plain(Option.getOrThrow(yield* store.settings(ChannelId.make("website"))))).toEqual(plain({ ...settings("website"), colour: "#112233", position: "left" }))
        expect(plain(Option.getOrThrow(yield* store.settings(ChannelId.make("other"))))).toEqual(plain(settings("other")))
      })))

    it.effect("any attributes and names a visitor can send are stored and read back unchanged (fast-check samples)", () =>
      run(Effect.gen(function* () {
        const store = yield* WidgetSessionStore
        const storable = fc.string({ maxLength: 500, unit: "grapheme" }).filter((text) => !text.includes("\u0000"))
        // `__proto__` matches the name rule but is not an attribute a visitor can send: decoding
        // `WidgetAttributes` drops it (Effect builds the record by assignment), so no store holds it.
        const attributeName = fc.stringMatching(/^[\w.-]{1,64}$/).filter((key) => key !== "__proto__")
        const samples = fc.sample(fc.tuple(fc.dictionary(attributeName, storable, { maxKeys: 50 }), storable.map((text) => text.slice(0, 200))), 25)
        for (const [index, [attributes, name]] of samples.entries()) {
          const stored = session(`prop-${index}`, { attributes, name: Option.some(name) })
          yield* store.create(stored)
          expect(Option.getOrThrow(yield* store.find(SessionKey.make(`prop-${index}`)))).toEqual(stored)
        }
      })))
  })
