import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, type Layer, Option } from "effect"
import { type ComposerPreferences, type QuickReply, QuickReplyId } from "../../composer/QuickReply.js"
import { ComposerStore } from "../../ports/ComposerStore.js"
import { UserId } from "../../shared/Ids.js"

const olena = UserId.make("u-olena")
const taras = UserId.make("u-taras")

const reply = (id: string, overrides: Partial<QuickReply> = {}): QuickReply => ({
  id: QuickReplyId.make(id),
  owner: Option.none(),
  category: "Greetings",
  title: `Title ${id}`,
  text: "Hello, {{client_name}}! I am {{operator_name}}.",
  createdAt: 1_000,
  ...overrides
})

/**
 * The behaviour every `ComposerStore` adapter must have. Run it with a layer that builds an empty
 * store (it may provide other services too); a fresh layer is built per test.
 */
export const composerStoreContract = (name: string, makeStore: () => Layer.Layer<ComposerStore, unknown>) =>
  describe(`ComposerStore contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, ComposerStore>) => Effect.scoped(Effect.provide(body, makeStore()))

    it.effect("a user lists the company's replies and their own, by category then title, never another's personal ones", () =>
      run(Effect.gen(function* () {
        const store = yield* ComposerStore
        const company = reply("r1", { category: "Billing", title: "Refunds" })
        const mine = reply("r2", { owner: Option.some(olena), category: "Billing", title: "Invoice" })
        const theirs = reply("r3", { owner: Option.some(taras), category: "Billing", title: "Any" })
        const greeting = reply("r4", { category: "Greetings", title: "Hello" })
        for (const each of [greeting, theirs, company, mine]) yield* store.putQuickReply(each)
        expect(yield* store.quickReplies(olena)).toEqual([mine, company, greeting])
        expect(yield* store.quickReplies(taras)).toEqual([theirs, company, greeting])
        expect(Option.getOrThrow(yield* store.quickReply(QuickReplyId.make("r3")))).toEqual(theirs)
        expect(Option.isNone(yield* store.quickReply(QuickReplyId.make("nope")))).toBe(true)
      })))

    it.effect("put replaces a reply with the same id; delete removes it once", () =>
      run(Effect.gen(function* () {
        const store = yield* ComposerStore
        yield* store.putQuickReply(reply("r1"))
        yield* store.putQuickReply(reply("r1", { title: "Changed", text: "New text" }))
        expect(yield* store.quickReplies(olena)).toEqual([reply("r1", { title: "Changed", text: "New text" })])
        expect(yield* store.deleteQuickReply(QuickReplyId.make("r1"))).toBe(true)
        expect(yield* store.deleteQuickReply(QuickReplyId.make("r1"))).toBe(false)
        expect(yield* store.quickReplies(olena)).toEqual([])
      })))

    it.effect("preferences are none until saved, then read back and replaced whole, per user", () =>
      run(Effect.gen(function* () {
        const store = yield* ComposerStore
        expect(Option.isNone(yield* store.preferences(olena))).toBe(true)
        const saved: ComposerPreferences = { userId: olena, sendKey: "enter", signature: "Olena, support team" }
        yield* store.savePreferences(saved)
        yield* store.savePreferences({ userId: taras, sendKey: "ctrlEnter", signature: "" })
        expect(Option.getOrThrow(yield* store.preferences(olena))).toEqual(saved)
        yield* store.savePreferences({ ...saved, sendKey: "ctrlEnter" })
        expect(Option.getOrThrow(yield* store.preferences(olena))).toEqual({ ...saved, sendKey: "ctrlEnter" })
        expect(Option.getOrThrow(yield* store.preferences(taras)).signature).toBe("")
      })))

    it.effect("a user's personal settings are none until saved, then theirs alone, replaced by the next save", () =>
      run(Effect.gen(function* () {
        const store = yield* ComposerStore
        expect(Option.isNone(yield* store.personal(olena))).toBe(true)
        const folders = [{ id: "f1", name: "Telegram VIP", query: "folder=mine&channel=telegram&tag=vip" }, { id: "f2", name: "Ünïcode ✓", query: "folder=new&q=%D0%B4" }]
        yield* store.savePersonal({ userId: olena, notifications: { desktop: false, sound: true }, folders, list: { view: "table", sort: "processingOrder" } })
        expect(Option.getOrThrow(yield* store.personal(olena))).toEqual({ userId: olena, notifications: { desktop: false, sound: true }, folders, list: { view: "table", sort: "processingOrder" } })
        expect(Option.isNone(yield* store.personal(taras))).toBe(true)
        yield* store.savePersonal({ userId: olena, notifications: { desktop: true, sound: false }, folders: [folders[1]!], list: { view: "list", sort: "auto" } })
        expect(Option.getOrThrow(yield* store.personal(olena))).toEqual({ userId: olena, notifications: { desktop: true, sound: false }, folders: [folders[1]], list: { view: "list", sort: "auto" } })
      })))

    it.effect("any text a reply may hold is stored and read back unchanged (fast-check samples)", () =>
      run(Effect.gen(function* () {
        const store = yield* ComposerStore
        const storable = (maxLength: number) => fc.string({ minLength: 1, maxLength, unit: "grapheme" }).filter((text) => !text.includes("\u0000") && text.trim() !== "" && text.length <= maxLength)
        const samples = fc.sample(fc.tuple(storable(200), storable(2000)), 25)
        for (const [index, [title, text]] of samples.entries()) {
          const stored = reply(`prop-${index}`, { title: title.trim(), text, owner: Option.some(olena) })
          yield* store.putQuickReply(stored)
          expect(Option.getOrThrow(yield* store.quickReply(stored.id))).toEqual(stored)
        }
      })))
  })
