import { afterAll, describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit, FastCheck as fc, Layer, Option, Schema, Scope, TestClock } from "effect"
import { ClientTag, SetClientTags } from "../../clients/Client.js"
import * as Dialog from "../../dialogs/Dialog.js"
import { unreadFor } from "../../dialogs/evolve.js"
import { Engine } from "../../engine/Engine.js"
import * as SlaClock from "../../sla/SlaClock.js"
import { ConfigStore } from "../../ports/ConfigStore.js"
import { DialogListStore, type Viewer } from "../../ports/DialogListStore.js"
import { EventStore } from "../../ports/EventStore.js"
import { HistoryStore } from "../../ports/HistoryStore.js"
import { BotId, ChannelId, TagId } from "../../shared/Ids.js"
import { Channel } from "../../channels/Channel.js"
import { BotActor } from "../../access/Access.js"
import { anna, boris, engineLayer, inbound, owner, seed, supervisor, text } from "../fixtures.js"
import { ids, viewerOf, runner, type StoreLayer } from "./support.js"

// Few clients and users, so reads, marks and hand-offs often meet on the same dialog.
const unreadStep = fc.oneof(
  { weight: 2, arbitrary: fc.record({ step: fc.constant("receive" as const), client: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 6, arbitrary: fc.record({ step: fc.constantFrom("read" as const, "markUnread" as const), user: fc.integer({ min: 0, max: 2 }), client: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ step: fc.constantFrom("accept" as const, "close" as const), user: fc.integer({ min: 0, max: 2 }), client: fc.integer({ min: 0, max: 1 }) }) }
)

/**
 * The behaviour every `DialogListStore` adapter must have: folders per viewer, filters, search, tag counts, periods, unread counters and keyset pages, as core's `Listing` rules say.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const dialogListStoreContract = (name: string, makeStore: StoreLayer) => {
  describe(`DialogListStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("processing order ranks unanswered dialogs by their SLA reply due instant", () =>
      run(
        Effect.gen(function* () {
          const engine = yield* Engine
          const store = yield* DialogListStore
          const slow = yield* engine.receive(inbound("c1", "no rush"))
          yield* TestClock.adjust("10 minutes")
          const fast = yield* engine.receive(inbound("c2", "urgent", { channelId: "web" }))
          yield* TestClock.adjust("1 minute")
          const answered = yield* engine.receive(inbound("c3", "hi"))
          yield* engine.execute(anna, new Dialog.Accept({ dialogId: answered.dialogId }))
          yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: answered.dialogId, input: text("hello") }))
          const viewer = viewerOf(supervisor, true)
          expect(ids(yield* store.listDialogs({ viewer, folder: "new", sort: "processingOrder", limit: 10 }))).toEqual([fast.dialogId, slow.dialogId])
          expect(ids(yield* store.listDialogs({ viewer, folder: "new", sort: "lastActivity", limit: 10 }))).toEqual([fast.dialogId, slow.dialogId])
          const page = yield* store.listDialogs({ viewer, folder: "new", sort: "processingOrder", limit: 1 })
          const rest = yield* store.listDialogs({ viewer, folder: "new", sort: "processingOrder", limit: 1, cursor: Option.getOrThrow(page.nextCursor) })
          expect(ids(rest)).toEqual([slow.dialogId])
          expect(Option.map(page.items[0]!.sla, (sla) => sla.statuses.firstResponse)).toEqual(Option.some("running"))
        }),
        Schema.decodeUnknownSync(SlaClock.SlaSettings)({
          policies: { policies: [{ name: "web", channels: ["web"], targets: { firstResponse: 5 } }], fallback: { name: "standard", targets: { firstResponse: 60 } } }
        })
      ))

    it.effect("folders follow status and viewer; unread counts per user", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const a = yield* engine.receive(inbound("c1", "one"))
        const b = yield* engine.receive(inbound("c2", "two"))
        const c = yield* engine.receive(inbound("c3", "three"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: b.dialogId }))
        yield* engine.execute(boris, new Dialog.Accept({ dialogId: c.dialogId }))
        yield* engine.execute(boris, new Dialog.Close({ dialogId: c.dialogId }))
        const list = (viewer: Viewer, folder: "new" | "mine" | "active" | "archive") => Effect.map(store.listDialogs({ viewer, folder, limit: 50 }), ids)
        expect(yield* list(viewerOf(anna), "new")).toEqual([a.dialogId])
        expect(yield* list(viewerOf(anna), "mine")).toEqual([b.dialogId])
        expect(yield* list(viewerOf(boris), "mine")).toEqual([])
        expect(yield* list(viewerOf(anna), "active")).toEqual([b.dialogId])
        expect(yield* list(viewerOf(supervisor, true), "active")).toEqual([b.dialogId])
        expect(yield* list(viewerOf(anna), "archive")).toEqual([])
        expect(yield* list(viewerOf(boris), "archive")).toEqual([c.dialogId])
        expect(yield* list(viewerOf(supervisor, true), "archive")).toEqual([c.dialogId])
        expect(yield* store.unread(viewerOf(anna))).toEqual({ total: 2, new: 1, mine: 1 })
        yield* engine.execute(anna, new Dialog.MarkRead({ dialogId: b.dialogId }))
        expect(yield* store.unread(viewerOf(anna))).toEqual({ total: 1, new: 1, mine: 0 })
        yield* engine.execute(anna, new Dialog.MarkUnread({ dialogId: b.dialogId }))
        expect(yield* store.unread(viewerOf(anna))).toEqual({ total: 2, new: 1, mine: 1 })
        const row = (yield* store.listDialogs({ viewer: viewerOf(anna), folder: "mine", limit: 5 })).items[0]!
        expect(row.unread).toBe(1)
        expect(row.preview).toBe("Anna joined the conversation")
        yield* engine.execute(anna, new Dialog.SaveDraft({ dialogId: b.dialogId, text: "typing…" }))
        const drafted = (yield* store.listDialogs({ viewer: viewerOf(anna), folder: "mine", limit: 5 })).items[0]!
        expect([drafted.preview, drafted.previewIsDraft]).toEqual(["typing…", true])
        yield* engine.execute(owner, new Dialog.DeleteDialog({ dialogId: a.dialogId }))
        expect(yield* list(viewerOf(anna), "new")).toEqual([])
      })))

    it.effect("the queue answers each queued dialog as it is now, read after read (the router's safety tick)", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const events = yield* EventStore
        const a = yield* engine.receive(inbound("c1", "one"))
        yield* TestClock.adjust("1 second")
        const b = yield* engine.receive(inbound("c2", "two"))
        const first = yield* store.queued(10)
        expect(first.map((entry) => entry.state.id)).toEqual([a.dialogId, b.dialogId])
        // Between two reads: a gets a second message, b is taken, c arrives.
        yield* engine.receive(inbound("c1", "one more"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: b.dialogId }))
        yield* TestClock.adjust("1 second")
        const c = yield* engine.receive(inbound("c3", "three"))
        const second = yield* store.queued(10)
        expect(second.map((entry) => entry.state.id)).toEqual([a.dialogId, c.dialogId])
        for (const entry of second) expect(entry).toEqual(Option.getOrThrow(yield* events.loadDialog(entry.state.id)))
        expect(second[0]!.version).toBeGreaterThan(first[0]!.version)
        expect((yield* store.queued(1)).map((entry) => entry.state.id)).toEqual([a.dialogId])
      })))

    it.effect("the bot folder lists the dialogs bots hold, and a hand-off moves them to New", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const configStore = yield* ConfigStore
        const listStore = yield* DialogListStore
        yield* configStore.putChannel(Channel.make({ id: ChannelId.make("vb"), kind: "viber", name: "Viber", botId: BotId.make("faq") }))
        const held = yield* engine.receive(inbound("c1", "price?", { channelId: "vb" }))
        const waiting = yield* engine.receive(inbound("c2", "hello"))
        const list = (folder: "new" | "bot") => Effect.map(listStore.listDialogs({ viewer: viewerOf(anna), folder, limit: 10 }), ids)
        expect(yield* list("bot")).toEqual([held.dialogId])
        expect(yield* list("new")).toEqual([waiting.dialogId])
        yield* engine.execute(new BotActor({ id: BotId.make("faq") }), new Dialog.HandToQueue({ dialogId: held.dialogId }))
        expect(yield* list("bot")).toEqual([])
        expect((yield* list("new")).sort()).toEqual([held.dialogId, waiting.dialogId].sort())
      })))

    it.effect("filters: channel, client tags (AND / none / pinned), last writer, period, text", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const a = yield* engine.receive(inbound("c1", "my parcel is late", { name: "Petro" }))
        yield* TestClock.adjust("1 hour")
        const b = yield* engine.receive(inbound("c2", "refund please", { name: "Maria", channelId: "web" }))
        yield* TestClock.adjust("1 hour")
        const c = yield* engine.receive(inbound("c3", "hello", { name: "Taras" }))
        yield* engine.client(anna, new SetClientTags({ clientId: a.clientId, tags: [new ClientTag({ tagId: TagId.make("vip"), pinned: true }), new ClientTag({ tagId: TagId.make("b2b"), pinned: false })] }))
        yield* engine.client(anna, new SetClientTags({ clientId: b.clientId, tags: [new ClientTag({ tagId: TagId.make("vip"), pinned: false })] }))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: c.dialogId }))
        const viewer = viewerOf(supervisor, true)
        const q = (folder: "new" | "active", filters: NonNullable<Parameters<typeof store.listDialogs>[0]["filters"]>) =>
          Effect.map(store.listDialogs({ viewer, folder, filters, limit: 50 }), (page) => ids(page).sort())
        expect(yield* q("new", { channelIds: [ChannelId.make("web")] })).toEqual([b.dialogId])
        expect(yield* q("new", { clientTags: { _tag: "AllOf", tags: [TagId.make("vip")] } })).toEqual([a.dialogId, b.dialogId].sort())
        expect(yield* q("new", { clientTags: { _tag: "AllOf", tags: [TagId.make("vip"), TagId.make("b2b")] } })).toEqual([a.dialogId])
        expect(yield* q("new", { clientTags: { _tag: "Pinned" } })).toEqual([a.dialogId])
        expect(yield* q("active", { clientTags: { _tag: "None" } })).toEqual([c.dialogId])
        expect(yield* q("active", { lastWriter: "staff" })).toEqual([c.dialogId])
        expect(yield* q("new", { lastWriter: "client" })).toEqual([a.dialogId, b.dialogId].sort())
        expect(yield* q("new", { from: a.events[0]!.position === 0 ? 0 : Date.UTC(2026, 2, 2, 9, 30), to: Date.UTC(2026, 2, 2, 10, 30) })).toEqual([b.dialogId])
        expect(yield* q("new", { text: "PARCEL" })).toEqual([a.dialogId])
        // Rows carry the client's pinned tags, listed or searched.
        const pinned = (page: { readonly items: ReadonlyArray<{ readonly dialogId: string; readonly clientPinnedTags: ReadonlyArray<string> }> }) =>
          Object.fromEntries(page.items.map((row) => [row.dialogId, row.clientPinnedTags]))
        expect(pinned(yield* store.listDialogs({ viewer, folder: "new", limit: 50 }))).toEqual({ [a.dialogId]: ["vip"], [b.dialogId]: [] })
        expect(pinned(yield* store.listDialogs({ viewer, folder: "new", filters: { text: "parcel" }, limit: 50 }))).toEqual({ [a.dialogId]: ["vip"] })
        expect(pinned(yield* store.listDialogs({ viewer, folder: "active", limit: 50 }))).toEqual({ [c.dialogId]: [] })
        expect(yield* q("new", { text: "maria" })).toEqual([b.dialogId])
        expect(yield* q("new", { text: "nothing like this" })).toEqual([])
      })))

    it.effect("tag counts: each client tag of a folder with its number of dialogs, most used first, for this viewer (DLG-21)", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const tag = (id: string, pinned = false) => new ClientTag({ tagId: TagId.make(id), pinned })
        const a = yield* engine.receive(inbound("c1", "one"))
        const b = yield* engine.receive(inbound("c2", "two", { channelId: "web" }))
        const c = yield* engine.receive(inbound("c3", "three"))
        const d = yield* engine.receive(inbound("c4", "four"))
        yield* engine.receive(inbound("c5", "five"))
        yield* engine.client(anna, new SetClientTags({ clientId: a.clientId, tags: [tag("vip", true), tag("b2b")] }))
        yield* engine.client(anna, new SetClientTags({ clientId: b.clientId, tags: [tag("vip")] }))
        yield* engine.client(anna, new SetClientTags({ clientId: c.clientId, tags: [tag("wholesale"), tag("b2b")] }))
        yield* engine.client(anna, new SetClientTags({ clientId: d.clientId, tags: [tag("vip"), tag("wholesale")] }))
        const counts = (viewer: Parameters<typeof store.tagCounts>[0]["viewer"], folder: "new" | "mine" | "active", limit = 50) =>
          Effect.map(store.tagCounts({ viewer, folder, limit }), (rows) => rows.map((row) => [row.tagId as string, row.dialogs]))
        // Most used first; equal counts by id. A dialog counts once per tag of its client, and untagged clients add nothing.
        expect(yield* counts(viewerOf(anna), "new")).toEqual([["vip", 3], ["b2b", 2], ["wholesale", 2]])
        expect(yield* counts(viewerOf(anna), "new", 2)).toEqual([["vip", 3], ["b2b", 2]])
        // Narrowed like the list: what each tag would leave with the other filters on (AND with chosen tags).
        const narrowed = (filters: NonNullable<Parameters<typeof store.tagCounts>[0]["filters"]>) =>
          Effect.map(store.tagCounts({ viewer: viewerOf(anna), folder: "new", filters, limit: 50 }), (rows) => rows.map((row) => [row.tagId as string, row.dialogs]))
        expect(yield* narrowed({ channelIds: [ChannelId.make("web")] })).toEqual([["vip", 1]])
        expect(yield* narrowed({ clientTags: { _tag: "AllOf", tags: [TagId.make("vip")] } })).toEqual([["vip", 3], ["b2b", 1], ["wholesale", 1]])
        expect(yield* narrowed({ clientTags: { _tag: "Pinned" } })).toEqual([["b2b", 1], ["vip", 1]])
        expect(yield* narrowed({ clientTags: { _tag: "None" } })).toEqual([])
        // The folder as this viewer sees it: Anna's own active dialogs, or everyone's for a supervisor.
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: a.dialogId }))
        yield* engine.execute(boris, new Dialog.Accept({ dialogId: c.dialogId }))
        expect(yield* counts(viewerOf(anna), "new")).toEqual([["vip", 2], ["wholesale", 1]])
        expect(yield* counts(viewerOf(anna), "mine")).toEqual([["b2b", 1], ["vip", 1]])
        expect(yield* counts(viewerOf(anna), "active")).toEqual([["b2b", 1], ["vip", 1]])
        expect(yield* counts(viewerOf(supervisor, true), "active")).toEqual([["b2b", 2], ["vip", 1], ["wholesale", 1]])
        // Tags changed on a client count at once.
        yield* engine.client(anna, new SetClientTags({ clientId: b.clientId, tags: [] }))
        expect(yield* counts(viewerOf(anna), "new")).toEqual([["vip", 1], ["wholesale", 1]])
        const bad = yield* Effect.flip(store.tagCounts({ viewer: viewerOf(anna), folder: "new", limit: 0 }))
        expect([bad._tag, bad.path]).toEqual(["InvalidInput", "limit"])
      })))

    it.effect("a period finds the dialogs with a message written within it, whatever came later; history opens as it stood then (DLG-21)", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const listStore = yield* DialogListStore
        const historyStore = yield* HistoryStore
        const day = 24 * 60 * 60 * 1000
        const start = yield* Clock.currentTimeMillis
        // Day 0: Petro writes. Day 1: Maria writes. Day 2: Petro again; Anna answers Maria, then deletes it.
        const a = yield* engine.receive(inbound("c1", "day zero", { name: "Petro" }))
        yield* TestClock.adjust("1 day")
        const b = yield* engine.receive(inbound("c2", "day one", { name: "Maria" }))
        yield* TestClock.adjust("1 day")
        yield* engine.receive(inbound("c1", "day two"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: b.dialogId }))
        const sent = yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: b.dialogId, input: text("oops") }))
        const oops = (sent.find((e) => e.event._tag === "StaffMessageSent")!.event as Dialog.StaffMessageSent).message
        yield* engine.execute(anna, new Dialog.DeleteMessage({ dialogId: b.dialogId, messageId: oops.id }))
        const viewer = viewerOf(supervisor, true)
        const within = (from: number | undefined, to: number | undefined) =>
          Effect.gen(function* () {
            const filters = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }
            const queued = yield* listStore.listDialogs({ viewer, folder: "new", filters, limit: 50 })
            const active = yield* listStore.listDialogs({ viewer, folder: "active", filters, limit: 50 })
            return [...ids(queued), ...ids(active)].sort()
          })
        const periods = Effect.gen(function* () {
          // Petro's dialog went on after day 0, and is still found there; a day with no message finds nothing.
          expect(yield* within(start, start + day)).toEqual([a.dialogId])
          expect(yield* within(start + day, start + 2 * day)).toEqual([b.dialogId])
          expect(yield* within(start - day, start)).toEqual([])
          // Day 2: Petro wrote; Maria's dialog only had Anna's deleted message (and the notice that Anna joined).
          expect(yield* within(start + 2 * day, start + 3 * day)).toEqual([a.dialogId])
          expect(yield* within(start, start + 2 * day)).toEqual([a.dialogId, b.dialogId].sort())
          // Open-ended on either side.
          expect(yield* within(start + day, undefined)).toEqual([a.dialogId, b.dialogId].sort())
          expect(yield* within(undefined, start + day)).toEqual([a.dialogId])
        })
        // While day 2 is not over, and again once every period asked about is in the past (a store may answer those otherwise).
        yield* periods
        yield* TestClock.adjust("2 days")
        yield* periods
        // Petro's history as it stood at the end of day 0, then the pages before it as usual.
        const atDayZero = yield* historyStore.messages({ dialogId: a.dialogId, beforeTime: start + day, limit: 50, includeInternal: true })
        expect(atDayZero.items.map((message) => message.text)).toEqual(["day zero"])
        const whole = yield* historyStore.messages({ dialogId: a.dialogId, beforeTime: start + 3 * day, limit: 1, includeInternal: true })
        expect(whole.items.map((message) => message.text)).toEqual(["day two"])
        const before = yield* historyStore.messages({ dialogId: a.dialogId, cursor: Option.getOrThrow(whole.nextCursor), limit: 1, includeInternal: true })
        expect(before.items.map((message) => message.text)).toEqual(["day zero"])
        const bad = yield* Effect.flip(historyStore.messages({ dialogId: a.dialogId, beforeTime: start, beforeSeq: 2, limit: 1, includeInternal: true }))
        expect([bad._tag, bad.path]).toEqual(["InvalidInput", "beforeTime"])
        const negative = yield* Effect.flip(historyStore.messages({ dialogId: a.dialogId, beforeTime: -1, limit: 1, includeInternal: true }))
        expect([negative._tag, negative.path]).toEqual(["InvalidInput", "beforeTime"])
      })))

    it.effect("search: every word starts a word of one message or of the client's name, in any order (DLG-19)", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const opening = yield* engine.receive(inbound("c1", "Are you opening on Saturday?", { name: "Olena" }))
        const split = yield* engine.receive(inbound("c2", "hello", { name: "Maria" }))
        yield* engine.receive(inbound("c2", "world"))
        const viewer = viewerOf(supervisor, true)
        const q = (text: string) => Effect.map(store.listDialogs({ viewer, folder: "new", filters: { text }, limit: 50 }), (page) => ids(page).sort())
        expect(yield* q("saturday opening")).toEqual([opening.dialogId])
        expect(yield* q("SAT open")).toEqual([opening.dialogId])
        expect(yield* q("opening, saturday!")).toEqual([opening.dialogId])
        expect(yield* q("olen")).toEqual([opening.dialogId])
        expect(yield* q("pening")).toEqual([])
        expect(yield* q("opening sunday")).toEqual([])
        // Words must meet in one message, or in the name: not across two messages, nor a message and the name.
        expect(yield* q("hello world")).toEqual([])
        expect(yield* q("hello maria")).toEqual([])
        expect(yield* q("hello")).toEqual([split.dialogId])
        // Nothing to search for finds nothing; blank is no search at all.
        expect(yield* q("?!")).toEqual([])
        expect(yield* q("  ")).toEqual([opening.dialogId, split.dialogId].sort())
      })))

    it.effect("a garbled cursor, page size or message number is InvalidInput naming it, not a database error nor the first page again", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const listStore = yield* DialogListStore
        const historyStore = yield* HistoryStore
        const first = yield* engine.receive(inbound("c1", "one"))
        yield* TestClock.adjust("1 minute")
        yield* engine.receive(inbound("c2", "two"))
        const viewer = viewerOf(supervisor, true)
        const page = yield* listStore.listDialogs({ viewer, folder: "new", limit: 1 })
        expect(ids(yield* listStore.listDialogs({ viewer, folder: "new", limit: 1, cursor: Option.getOrThrow(page.nextCursor) }))).toEqual([first.dialogId])
        const badList = (query: Partial<Parameters<typeof listStore.listDialogs>[0]>) =>
          Effect.flip(listStore.listDialogs({ viewer, folder: "new", limit: 5, ...query }))
        for (const cursor of ["", "x", "0~0.5~dlg_1", "0~99999999999999999999~dlg_1", "0~1e3~dlg_1", "0~1~", "0~1~a\u0000b", "0~~dlg_1", "NaN~1~d", `0~1~${"d".repeat(201)}`]) {
          const error = yield* badList({ cursor })
          expect([error._tag, error.path], JSON.stringify(cursor)).toEqual(["InvalidInput", "cursor"])
        }
        for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
          const error = yield* badList({ limit })
          expect([error._tag, error.path, error.message.includes(String(limit))], String(limit)).toEqual(["InvalidInput", "limit", true])
        }
        for (const beforeSeq of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          const error = yield* Effect.flip(historyStore.messages({ dialogId: first.dialogId, beforeSeq, limit: 5, includeInternal: false }))
          expect([error._tag, error.path], String(beforeSeq)).toEqual(["InvalidInput", "beforeSeq"])
        }
        for (const cursor of ["", "0", "-1", "1.5", "x", "1e3", "99999999999999999999"]) {
          const error = yield* Effect.flip(historyStore.messages({ dialogId: first.dialogId, cursor, limit: 5, includeInternal: false }))
          expect([error._tag, error.path], JSON.stringify(cursor)).toEqual(["InvalidInput", "cursor"])
        }
        const both = yield* Effect.flip(historyStore.messages({ dialogId: first.dialogId, cursor: "2", beforeSeq: 2, limit: 5, includeInternal: false }))
        expect([both._tag, both.path]).toEqual(["InvalidInput", "cursor"])
        expect((yield* historyStore.messages({ dialogId: first.dialogId, beforeSeq: 2, limit: 1000, includeInternal: false })).items.map((m) => m.text)).toEqual(["one"])
      })))

    it.effect("keyset pages cover every dialog once, in last-activity or processing order", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const created: Array<string> = []
        for (let i = 0; i < 23; i++) {
          yield* TestClock.adjust("1 minute")
          created.push((yield* engine.receive(inbound(`c${i}`, `hello ${i}`))).dialogId)
        }
        const viewer = viewerOf(supervisor, true)
        const collect = (sort: "lastActivity" | "processingOrder") =>
          Effect.gen(function* () {
            const seen: Array<string> = []
            let cursor: string | undefined
            for (;;) {
              const page = yield* store.listDialogs({ viewer, folder: "new", sort, limit: 5, ...(cursor === undefined ? {} : { cursor }) })
              seen.push(...ids(page))
              if (Option.isNone(page.nextCursor)) return seen
              cursor = page.nextCursor.value
            }
          })
        expect(yield* collect("lastActivity")).toEqual([...created].reverse())
        expect(yield* collect("processingOrder")).toEqual(created)
      })))
  })

  /**
   * DLG-09, for any history: a user's counters are their queued dialogs and their own active
   * dialogs with an unread client message or marked unread by them, as each dialog's state says.
   * One store for all runs (a SQL store takes seconds to build): each run talks to clients of its
   * own, and the counters are checked against every dialog made so far. The store is built by the
   * first run, not before the block: `@effect/vitest`'s `layer` built it even when `-t` left the
   * block out, and never released it, so every later PGlite test of the file met a held schema.
   */
  describe(`DialogListStore contract: ${name}, unread counters`, () => {
    const scope = Effect.runSync(Scope.make())
    const shared = Effect.runSync(Effect.cached(Effect.orDie(Layer.buildWithScope(Layer.provideMerge(Layer.effectDiscard(seed), engineLayer(makeStore())), scope))))
    afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)), 120_000)
    const users = [anna, boris, supervisor] as const
    const made = new Set<Dialog.DialogState["id"]>()
    let runs = 0
    it.effect.prop("unread counters match every dialog's own unread state, for every user (property)", [fc.array(unreadStep, { minLength: 1, maxLength: 16 })], ([steps]) =>
      Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* DialogListStore
        const events = yield* EventStore
        const prefix = `r${runs++}`
        const dialogs = new Map<number, Dialog.DialogState["id"]>()
        for (const step of steps) {
          if (step.step === "receive") {
            const { dialogId } = yield* engine.receive(inbound(`${prefix}c${step.client}`, `message ${step.client}`))
            dialogs.set(step.client, dialogId)
            made.add(dialogId)
            continue
          }
          const dialogId = dialogs.get(step.client)
          if (dialogId === undefined) continue
          const command = step.step === "read"
            ? new Dialog.MarkRead({ dialogId })
            : step.step === "markUnread"
              ? new Dialog.MarkUnread({ dialogId })
              : step.step === "accept"
                ? new Dialog.Accept({ dialogId })
                : new Dialog.Close({ dialogId })
          // Rejections (accepting a taken dialog, closing another's) are part of the history too.
          yield* Effect.either(engine.execute(users[step.user]!, command))
        }
        const states = yield* Effect.forEach([...made], (id) => Effect.map(events.loadDialog(id), (found) => Option.getOrThrow(found).state))
        for (const user of users) {
          const fresh = states.filter((state) => state.status === "queued" && unreadFor(state, user.id) > 0).length
          const mine = states.filter((state) => state.status === "active" && Option.contains(state.assigneeId, user.id) && unreadFor(state, user.id) > 0).length
          expect(yield* store.unread(viewerOf(user, user === supervisor))).toEqual({ total: fresh + mine, new: fresh, mine })
        }
      }).pipe(Effect.provide(Layer.effectContext(shared))), {
        timeout: 120_000,
        fastCheck: {
          numRuns: 40,
          // Always among the runs: a queued and an own dialog, each read and then marked unread.
          examples: [[[
            { step: "receive", client: 0 }, { step: "read", user: 1, client: 0 }, { step: "markUnread", user: 1, client: 0 },
            { step: "receive", client: 1 }, { step: "accept", user: 0, client: 1 }, { step: "read", user: 0, client: 1 }, { step: "markUnread", user: 0, client: 1 }
          ]]]
        }
      })
  })
}
