import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, FastCheck as fc, Layer, Option, Runtime, Schema, TestClock } from "effect"
import { ClientTag, SetClientTags } from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { unreadFor } from "../dialogs/evolve.js"
import { Engine } from "../engine/Engine.js"
import * as SlaClock from "../sla/SlaClock.js"
import { defaults, Settings } from "../settings/Settings.js"
import { Store } from "../ports/Store.js"
import type { DialogRow, Page, Viewer } from "../ports/Store.js"
import { BotId, ChannelId, TagId, UserId } from "../shared/Ids.js"
import { Channel } from "../channels/Channel.js"
import { BotActor } from "../access/Access.js"
import { anna, boris, engineLayer, inbound, owner, seed, supervisor, telegram, text } from "./fixtures.js"

const viewerOf = (actor: { readonly id: Viewer["userId"] }, seesAll = false): Viewer => ({ userId: actor.id, seesAll })
const ids = (page: Page<DialogRow>) => page.items.map((row) => row.dialogId as string)

/**
 * The behaviour every `Store` adapter must have. Run it with a layer that builds an empty store:
 * `storeContract("PGlite", () => PgliteStore.layerMemory)`. A fresh layer is built per test.
 */
export const storeContract = (name: string, makeStore: () => Layer.Layer<Store, unknown>) =>
  describe(`Store contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, Engine | Store>, sla?: SlaClock.SlaSettings) =>
      Effect.scoped(Effect.provide(Effect.zipRight(seed, body), engineLayer(makeStore(), sla)))

    it.effect("processing order ranks unanswered dialogs by their SLA reply due instant", () =>
      run(
        Effect.gen(function* () {
          const engine = yield* Engine
          const store = yield* Store
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

    it.effect("first contact creates a client and a dialog; state and versions round-trip", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const received = yield* engine.receive(inbound("c1", "hello", { name: "Ivan" }))
        const dialog = Option.getOrThrow(yield* store.loadDialog(received.dialogId))
        expect(dialog.version).toBe(2)
        expect(dialog.state.status).toBe("queued")
        expect(Schema.encodeSync(Dialog.DialogState)(dialog.state)).toEqual(
          Schema.encodeSync(Dialog.DialogState)(Option.getOrThrow(yield* store.loadDialog(received.dialogId)).state)
        )
        const client = Option.getOrThrow(yield* store.loadClient(received.clientId))
        expect(client.state.profile.name).toBe("Ivan")
        expect(yield* store.findClient(telegram.id, "c1")).toEqual(Option.some(received.clientId))
        expect(yield* store.findClient(telegram.id, "nobody")).toEqual(Option.none())
        const stream = yield* store.readStream(`dialog:${received.dialogId}`)
        expect(stream.map((event) => event.version)).toEqual([1, 2])
        expect(stream.map((event) => event.event._tag)).toEqual(["DialogOpened", "ClientMessageReceived"])
      })))

    it.effect("findInbound returns the client and their current dialog in the channel", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        expect(yield* store.findInbound(telegram.id, "c1")).toEqual(Option.none())
        const first = yield* engine.receive(inbound("c1", "hello"))
        const found = Option.getOrThrow(yield* store.findInbound(telegram.id, "c1"))
        expect([found.client.state.id, found.client.version]).toEqual([first.clientId, 2])
        expect(Option.map(found.dialog, (d) => [d.state.id, d.version])).toEqual(Option.some([first.dialogId, 2]))
        const web = yield* store.findInbound(ChannelId.make("web"), "c1")
        expect(web).toEqual(Option.none())
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
        yield* engine.execute(anna, new Dialog.DetachClient({ dialogId: first.dialogId }))
        const detached = Option.getOrThrow(yield* store.findInbound(telegram.id, "c1"))
        expect(detached.dialog).toEqual(Option.none())
      })))

    it.effect("a stale expected version is a VersionConflict and nothing of the batch is written", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const first = yield* engine.receive(inbound("c1", "hello"))
        const second = yield* engine.receive(inbound("c2", "hi"))
        const a = Option.getOrThrow(yield* store.loadDialog(first.dialogId))
        const b = Option.getOrThrow(yield* store.loadDialog(second.dialogId))
        const event = new Dialog.TagsSet({ tags: [TagId.make("vip")], by: "test", at: 1 })
        const before = yield* store.readAll(0, 1000)
        const conflict = yield* Effect.flip(store.commit({
          streams: [
            { kind: "dialog", id: a.state.id, expectedVersion: a.version, events: [event], state: a.state },
            { kind: "dialog", id: b.state.id, expectedVersion: b.version - 1, events: [event], state: b.state }
          ],
          messages: [],
          timers: [{ _tag: "Set", timer: { key: "x", kind: "x", subject: "x", dueAt: 0 } }]
        }))
        expect(conflict._tag).toBe("VersionConflict")
        expect((yield* store.readAll(0, 1000)).length).toBe(before.length)
        expect(Option.getOrThrow(yield* store.loadDialog(first.dialogId)).version).toBe(a.version)
        expect(yield* store.claimDue(Number.MAX_SAFE_INTEGER, 10, 1000)).toEqual([])
      })))

    it.effect("a checked stream that moved fails the commit, and nothing of it is written", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const first = yield* engine.receive(inbound("c1", "hello"))
        const client = Option.getOrThrow(yield* store.loadClient(first.clientId))
        const dialog = Option.getOrThrow(yield* store.loadDialog(first.dialogId))
        const event = new Dialog.TagsSet({ tags: [TagId.make("vip")], by: "test", at: 1 })
        const write = { kind: "dialog" as const, id: dialog.state.id, expectedVersion: dialog.version, events: [event], state: dialog.state }
        const stale = yield* Effect.flip(store.commit({ streams: [write], messages: [], timers: [], checks: [{ streamId: `client:${client.state.id}`, expectedVersion: client.version - 1 }] }))
        expect(stale).toMatchObject({ _tag: "VersionConflict", streamId: `client:${client.state.id}` })
        const absent = yield* Effect.flip(store.commit({ streams: [write], messages: [], timers: [], checks: [{ streamId: "client:cli_nobody", expectedVersion: 3 }] }))
        expect(absent._tag).toBe("VersionConflict")
        expect(Option.getOrThrow(yield* store.loadDialog(first.dialogId)).version).toBe(dialog.version)
        const stored = yield* store.commit({
          streams: [write],
          messages: [],
          timers: [],
          checks: [{ streamId: `client:${client.state.id}`, expectedVersion: client.version }, { streamId: "client:cli_nobody", expectedVersion: 0 }]
        })
        expect(stored.map((e) => e.version)).toEqual([dialog.version + 1])
        expect(Option.getOrThrow(yield* store.loadClient(first.clientId)).version).toBe(client.version)
      })))

    it.effect("config reads settings and channels at a version that moves with every change", () =>
      run(Effect.gen(function* () {
        const store = yield* Store
        const before = yield* store.config()
        expect(before.settings).toEqual(yield* store.getSettings())
        expect(before.channels.map((c) => c.id).sort()).toEqual(["tg", "web"])
        const check = { streamId: "config", expectedVersion: before.version }
        yield* store.commit({ streams: [], messages: [], timers: [], checks: [check] })
        yield* store.saveSettings(Settings.make({ ...before.settings, topicRequired: true }))
        const afterSettings = yield* store.config()
        expect(afterSettings.version).toBeGreaterThan(before.version)
        expect(afterSettings.settings.topicRequired).toBe(true)
        expect((yield* Effect.flip(store.commit({ streams: [], messages: [], timers: [{ _tag: "Set", timer: { key: "k", kind: "k", subject: "k", dueAt: 1 } }], checks: [check] })))._tag).toBe("VersionConflict")
        expect(yield* store.claimDue(10, 10, 1000)).toEqual([])
        yield* store.putChannel(Channel.make({ ...telegram, name: "Telegram 2" }))
        const afterChannel = yield* store.config()
        expect(afterChannel.version).toBeGreaterThan(afterSettings.version)
        expect(afterChannel.channels.find((c) => c.id === telegram.id)?.name).toBe("Telegram 2")
      })))

    it.effect("global positions strictly increase, readAll resumes after a position, lastPosition is the newest", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const empty = yield* store.readAll(0, 1000)
        expect(yield* store.lastPosition).toBe(empty.at(-1)?.position ?? 0)
        for (let i = 0; i < 5; i++) yield* engine.receive(inbound(`c${i}`, `m${i}`))
        const all = yield* store.readAll(0, 1000)
        expect(yield* store.lastPosition).toBe(all.at(-1)!.position)
        const positions = all.map((event) => event.position)
        expect([...positions].sort((x, y) => x - y)).toEqual(positions)
        expect(new Set(positions).size).toBe(positions.length)
        const middle = all[3]!.position
        const rest = yield* store.readAll(middle, 1000)
        expect(rest[0]!.position).toBeGreaterThan(middle)
        expect(rest.length).toBe(all.filter((event) => event.position > middle).length)
      })))

    it.effect("presence: the newest record per operator wins, whatever order the records arrive in", () =>
      run(Effect.gen(function* () {
        const store = yield* Store
        const [anna, boris] = [UserId.make("anna"), UserId.make("boris")]
        expect(yield* store.presences()).toEqual(new Map())
        yield* store.recordPresence(anna, "online", 1_000)
        yield* store.recordPresence(boris, "away", 2_000)
        yield* store.recordPresence(anna, "online", 5_000)
        // A record older than the stored one (a slow server's heartbeat) changes nothing.
        yield* store.recordPresence(anna, "offline", 4_000)
        expect(yield* store.presences()).toEqual(new Map([[anna, { presence: "online", lastHeartbeatAt: 5_000 }], [boris, { presence: "away", lastHeartbeatAt: 2_000 }]]))
        yield* store.recordPresence(anna, "offline", 5_000)
        expect((yield* store.presences()).get(anna)).toEqual({ presence: "offline", lastHeartbeatAt: 5_000 })
      })))

    it.effect("a second client cannot claim an identity another client has", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const first = yield* engine.receive(inbound("same", "one"))
        const client = Option.getOrThrow(yield* store.loadClient(first.clientId))
        const { ClientCreated, Identity, initial, evolve } = yield* Effect.promise(() => import("../clients/Client.js"))
        const intruder = initial("cli_intruder" as typeof first.clientId)
        const created = new ClientCreated({ clientId: intruder.id, identity: new Identity({ channelId: telegram.id, externalId: "same" }), profile: {}, at: 1 })
        const result = yield* Effect.flip(store.commit({ streams: [{ kind: "client", id: intruder.id, expectedVersion: 0, events: [created], state: evolve(intruder, created) }], messages: [], timers: [] }))
        expect(result._tag).toBe("VersionConflict")
        expect(yield* store.findClient(telegram.id, "same")).toEqual(Option.some(client.state.id))
      })))

    it.effect("a first contact commits while the address is free; at a known address it writes nothing and answers like findInbound", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const { ClientCreated, Identity, initial, evolve } = yield* Effect.promise(() => import("../clients/Client.js"))
        const newcomer = (id: string, externalId: string) => {
          const client = initial(id as Parameters<typeof initial>[0])
          const created = new ClientCreated({ clientId: client.id, identity: new Identity({ channelId: telegram.id, externalId }), profile: {}, at: 1 })
          return { streams: [{ kind: "client" as const, id: client.id, expectedVersion: 0, events: [created], state: evolve(client, created) }], messages: [], timers: [] }
        }
        const fresh = yield* store.commitFirstContact({ channelId: telegram.id, externalId: "new" }, newcomer("cli_new", "new"))
        expect(fresh._tag).toBe("Committed")
        expect(fresh._tag === "Committed" ? fresh.events.map((stored) => [stored.streamId, stored.version]) : []).toEqual([["client:cli_new", 1]])
        expect(yield* store.findClient(telegram.id, "new")).toEqual(Option.some("cli_new"))

        const first = yield* engine.receive(inbound("known", "hello"))
        const before = yield* store.readAll(0, 1000)
        const known = yield* store.commitFirstContact({ channelId: telegram.id, externalId: "known" }, newcomer("cli_intruder", "known"))
        expect(known).toEqual({ _tag: "Known", target: Option.getOrThrow(yield* store.findInbound(telegram.id, "known")) })
        expect(known._tag === "Known" ? [known.target.client.state.id, Option.map(known.target.dialog, (d) => d.state.id)] : []).toEqual([first.clientId, Option.some(first.dialogId)])
        expect(yield* store.readAll(0, 1000)).toEqual(before)
        expect(yield* store.loadClient("cli_intruder" as typeof first.clientId)).toEqual(Option.none())
      })))

    it.effect("a client's message redelivered to a long dialog, past the external ids it remembers, is stored once", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const first = yield* engine.receive(inbound("c1", "message 0", { externalId: "m0" }))
        for (let i = 1; i <= 120; i++) yield* engine.receive(inbound("c1", `message ${i}`, { externalId: `m${i}` }))
        const before = yield* store.lastPosition
        const again = yield* engine.receive(inbound("c1", "message 0", { externalId: "m0" }))
        expect([again.dialogId, again.messageId, again.events]).toEqual([first.dialogId, first.messageId, []])
        expect(yield* store.lastPosition).toBe(before)
        // A new message of the same long dialog still lands, once; so does one without an external id.
        yield* engine.receive(inbound("c1", "message 121", { externalId: "m121" }))
        yield* engine.receive(inbound("c1", "message 121", { externalId: "m121" }))
        yield* engine.receive(inbound("c1", "no id"))
        const texts = (yield* store.messages({ dialogId: first.dialogId, limit: 500, includeInternal: true })).items.map((message) => message.text)
        expect(texts.filter((text) => text === "message 0")).toHaveLength(1)
        expect(texts.filter((text) => text === "message 121")).toHaveLength(1)
        expect(texts.filter((text) => text.startsWith("message ") || text === "no id")).toHaveLength(123)
        // The store's own answer, without the engine: the id of the message already there.
        const seen = yield* store.commitUnseen({ dialogId: first.dialogId, externalId: "m0" }, { streams: [], messages: [], timers: [] })
        expect(seen).toEqual({ _tag: "Seen", messageId: Option.getOrThrow(first.messageId) })
      })), 60_000)

    it.effect("history is newest first and pages back with a cursor; notes only for staff", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const { dialogId } = yield* engine.receive(inbound("c1", "m1"))
        for (let i = 2; i <= 25; i++) {
          yield* TestClock.adjust("1 minute")
          yield* engine.receive(inbound("c1", `m${i}`))
        }
        yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
        yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("note"), internal: true }))
        const first = yield* store.messages({ dialogId, limit: 10, includeInternal: false })
        expect(first.items.map((m) => m.text)).toEqual(["Anna joined the conversation", "m25", "m24", "m23", "m22", "m21", "m20", "m19", "m18", "m17"])
        const cursor = Number(Option.getOrThrow(first.nextCursor))
        const second = yield* store.messages({ dialogId, beforeSeq: cursor, limit: 10, includeInternal: false })
        expect(second.items[0]!.text).toBe("m16")
        const third = yield* store.messages({ dialogId, cursor: Option.getOrThrow(second.nextCursor), limit: 10, includeInternal: false })
        expect(third.items.map((m) => m.text)).toEqual(["m6", "m5", "m4", "m3", "m2", "m1"])
        expect(third.nextCursor).toEqual(Option.none())
        const staff = yield* store.messages({ dialogId, limit: 1, includeInternal: true })
        expect(staff.items[0]!.text).toBe("note")
        expect(staff.items[0]!.internal).toBe(true)
      })))

    it.effect("edits, deletions and delivery updates reach the message projection", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const { dialogId } = yield* engine.receive(inbound("c1", "hi"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
        const sent = yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("helo") }))
        const message = (sent.find((e) => e.event._tag === "StaffMessageSent")!.event as Dialog.StaffMessageSent).message
        yield* TestClock.adjust("1 minute")
        yield* engine.execute(anna, new Dialog.EditMessage({ dialogId, messageId: message.id, text: "hello" }))
        yield* engine.execute(owner, new Dialog.UpdateDelivery({ dialogId, messageId: message.id, status: "delivered" }))
        const page = yield* store.messages({ dialogId, limit: 1, includeInternal: true })
        expect(page.items[0]!.text).toBe("hello")
        expect(Option.isSome(page.items[0]!.editedAt)).toBe(true)
        expect(Option.map(page.items[0]!.delivery, (d) => d.status)).toEqual(Option.some("delivered"))
        yield* engine.execute(anna, new Dialog.DeleteMessage({ dialogId, messageId: message.id }))
        expect(Option.isSome((yield* store.messages({ dialogId, limit: 1, includeInternal: true })).items[0]!.deletedAt)).toBe(true)
      })))

    it.effect("folders follow status and viewer; unread counts per user", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
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

    /**
     * DLG-09, for any history: a user's counters are their queued dialogs and their own active
     * dialogs with an unread client message or marked unread by them, as each dialog's state says.
     */
    // Few clients and users, so reads, marks and hand-offs often meet on the same dialog.
    const unreadStep = fc.oneof(
      { weight: 2, arbitrary: fc.record({ step: fc.constant("receive" as const), client: fc.integer({ min: 0, max: 1 }) }) },
      { weight: 6, arbitrary: fc.record({ step: fc.constantFrom("read" as const, "markUnread" as const), user: fc.integer({ min: 0, max: 2 }), client: fc.integer({ min: 0, max: 1 }) }) },
      { weight: 2, arbitrary: fc.record({ step: fc.constantFrom("accept" as const, "close" as const), user: fc.integer({ min: 0, max: 2 }), client: fc.integer({ min: 0, max: 1 }) }) }
    )
    it.effect("unread counters match every dialog's own unread state, for every user (property)", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        const users = [anna, boris, supervisor] as const
        // One store for all runs (a SQL store takes seconds to build): each run talks to clients of its
        // own, and the counters are checked against every dialog made so far.
        const made = new Set<Dialog.DialogState["id"]>()
        let runs = 0
        const history = (steps: ReadonlyArray<typeof unreadStep extends fc.Arbitrary<infer T> ? T : never>) =>
          Effect.gen(function* () {
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
            const states = yield* Effect.forEach([...made], (id) => Effect.map(store.loadDialog(id), (found) => Option.getOrThrow(found).state))
            for (const user of users) {
              const fresh = states.filter((state) => state.status === "queued" && unreadFor(state, user.id) > 0).length
              const mine = states.filter((state) => state.status === "active" && Option.contains(state.assigneeId, user.id) && unreadFor(state, user.id) > 0).length
              const got = yield* store.unread(viewerOf(user, user === supervisor))
              expect(got).toEqual({ total: fresh + mine, new: fresh, mine })
            }
          })
        const runtime = yield* Effect.runtime<never>()
        yield* Effect.promise(() =>
          fc.assert(fc.asyncProperty(fc.array(unreadStep, { minLength: 1, maxLength: 16 }), (steps) => Runtime.runPromise(runtime)(history(steps))), {
            numRuns: 40,
            // Always among the runs: a queued and an own dialog, each read and then marked unread.
            examples: [[[
              { step: "receive", client: 0 }, { step: "read", user: 1, client: 0 }, { step: "markUnread", user: 1, client: 0 },
              { step: "receive", client: 1 }, { step: "accept", user: 0, client: 1 }, { step: "read", user: 0, client: 1 }, { step: "markUnread", user: 0, client: 1 }
            ]]]
          })
        )
      })))

    it.effect("the bot folder lists the dialogs bots hold, and a hand-off moves them to New", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        yield* store.putChannel(Channel.make({ id: ChannelId.make("vb"), kind: "viber", name: "Viber", botId: BotId.make("faq") }))
        const held = yield* engine.receive(inbound("c1", "price?", { channelId: "vb" }))
        const waiting = yield* engine.receive(inbound("c2", "hello"))
        const list = (folder: "new" | "bot") => Effect.map(store.listDialogs({ viewer: viewerOf(anna), folder, limit: 10 }), ids)
        expect(yield* list("bot")).toEqual([held.dialogId])
        expect(yield* list("new")).toEqual([waiting.dialogId])
        yield* engine.execute(new BotActor({ id: BotId.make("faq") }), new Dialog.HandToQueue({ dialogId: held.dialogId }))
        expect(yield* list("bot")).toEqual([])
        expect((yield* list("new")).sort()).toEqual([held.dialogId, waiting.dialogId].sort())
      })))

    it.effect("filters: channel, client tags (AND / none / pinned), last writer, period, text", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
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
        const store = yield* Store
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
        const store = yield* Store
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
            const queued = yield* store.listDialogs({ viewer, folder: "new", filters, limit: 50 })
            const active = yield* store.listDialogs({ viewer, folder: "active", filters, limit: 50 })
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
        const atDayZero = yield* store.messages({ dialogId: a.dialogId, beforeTime: start + day, limit: 50, includeInternal: true })
        expect(atDayZero.items.map((message) => message.text)).toEqual(["day zero"])
        const whole = yield* store.messages({ dialogId: a.dialogId, beforeTime: start + 3 * day, limit: 1, includeInternal: true })
        expect(whole.items.map((message) => message.text)).toEqual(["day two"])
        const before = yield* store.messages({ dialogId: a.dialogId, cursor: Option.getOrThrow(whole.nextCursor), limit: 1, includeInternal: true })
        expect(before.items.map((message) => message.text)).toEqual(["day zero"])
        const bad = yield* Effect.flip(store.messages({ dialogId: a.dialogId, beforeTime: start, beforeSeq: 2, limit: 1, includeInternal: true }))
        expect([bad._tag, bad.path]).toEqual(["InvalidInput", "beforeTime"])
        const negative = yield* Effect.flip(store.messages({ dialogId: a.dialogId, beforeTime: -1, limit: 1, includeInternal: true }))
        expect([negative._tag, negative.path]).toEqual(["InvalidInput", "beforeTime"])
      })))

    it.effect("search: every word starts a word of one message or of the client's name, in any order (DLG-19)", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
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
        const store = yield* Store
        const first = yield* engine.receive(inbound("c1", "one"))
        yield* TestClock.adjust("1 minute")
        yield* engine.receive(inbound("c2", "two"))
        const viewer = viewerOf(supervisor, true)
        const page = yield* store.listDialogs({ viewer, folder: "new", limit: 1 })
        expect(ids(yield* store.listDialogs({ viewer, folder: "new", limit: 1, cursor: Option.getOrThrow(page.nextCursor) }))).toEqual([first.dialogId])
        const badList = (query: Partial<Parameters<typeof store.listDialogs>[0]>) =>
          Effect.flip(store.listDialogs({ viewer, folder: "new", limit: 5, ...query }))
        for (const cursor of ["", "x", "0~0.5~dlg_1", "0~99999999999999999999~dlg_1", "0~1e3~dlg_1", "0~1~", "0~1~a\u0000b", "0~~dlg_1", "NaN~1~d", `0~1~${"d".repeat(201)}`]) {
          const error = yield* badList({ cursor })
          expect([error._tag, error.path], JSON.stringify(cursor)).toEqual(["InvalidInput", "cursor"])
        }
        for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
          const error = yield* badList({ limit })
          expect([error._tag, error.path, error.message.includes(String(limit))], String(limit)).toEqual(["InvalidInput", "limit", true])
        }
        for (const beforeSeq of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          const error = yield* Effect.flip(store.messages({ dialogId: first.dialogId, beforeSeq, limit: 5, includeInternal: false }))
          expect([error._tag, error.path], String(beforeSeq)).toEqual(["InvalidInput", "beforeSeq"])
        }
        for (const cursor of ["", "0", "-1", "1.5", "x", "1e3", "99999999999999999999"]) {
          const error = yield* Effect.flip(store.messages({ dialogId: first.dialogId, cursor, limit: 5, includeInternal: false }))
          expect([error._tag, error.path], JSON.stringify(cursor)).toEqual(["InvalidInput", "cursor"])
        }
        const both = yield* Effect.flip(store.messages({ dialogId: first.dialogId, cursor: "2", beforeSeq: 2, limit: 5, includeInternal: false }))
        expect([both._tag, both.path]).toEqual(["InvalidInput", "cursor"])
        expect((yield* store.messages({ dialogId: first.dialogId, beforeSeq: 2, limit: 1000, includeInternal: false })).items.map((m) => m.text)).toEqual(["one"])
      })))

    it.effect("keyset pages cover every dialog once, in last-activity or processing order", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
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

    it.effect("timers: set, replace, cancel, claim with a lease, complete only the claimed version", () =>
      run(Effect.gen(function* () {
        const store = yield* Store
        const set = (key: string, dueAt: number) => store.commit({ streams: [], messages: [], timers: [{ _tag: "Set", timer: { key, kind: "test", subject: key, dueAt } }] })
        yield* set("a", 100)
        yield* set("b", 200)
        yield* set("c", 300)
        yield* store.commit({ streams: [], messages: [], timers: [{ _tag: "Cancel", key: "c" }] })
        expect(yield* store.nextDueAt()).toEqual(Option.some(100))
        expect(yield* store.claimDue(50, 10, 1000)).toEqual([])
        const claimed = yield* store.claimDue(250, 10, 1000)
        expect(claimed.map((t) => t.key)).toEqual(["a", "b"])
        expect(yield* store.claimDue(260, 10, 1000)).toEqual([])
        yield* set("b", 500)
        for (const timer of claimed) yield* store.completeTimer(timer)
        expect((yield* store.claimDue(400, 10, 1000)).map((t) => t.key)).toEqual([])
        const again = yield* store.claimDue(600, 10, 1000)
        expect(again.map((t) => [t.key, t.dueAt])).toEqual([["b", 500]])
        expect((yield* store.claimDue(1700, 10, 1000)).map((t) => t.key)).toEqual(["b"])
      })))

    it.effect("settings and channels round-trip; operator load counts assignments and offers", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* Store
        expect(yield* store.getSettings()).toEqual(defaults)
        const sla = Schema.decodeUnknownSync(SlaClock.SlaSettings)({
          calendar: { name: "Kyiv", timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["14:00", "18:00"]], sat: [["22:00", "06:00"]] }, holidays: [{ date: "01-01", name: "New Year", yearly: true }], specialDays: [] },
          policies: { policies: [{ name: "web", channels: ["web"], targets: { firstResponse: 5 } }], fallback: { name: "standard", targets: { firstResponse: 60, timeToClose: 480 } } }
        })
        const changed = Settings.make({ ...defaults, inactivityCloseMinutes: null, topicRequired: true, sla })
        yield* store.saveSettings(changed)
        expect(yield* store.getSettings()).toEqual(changed)
        expect((yield* store.listChannels()).map((c) => c.id).sort()).toEqual(["tg", "web"])
        expect(Option.map(yield* store.getChannel(telegram.id), (c) => c.kind)).toEqual(Option.some("telegram"))
        const a = yield* engine.receive(inbound("c1", "one"))
        const b = yield* engine.receive(inbound("c2", "two"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: a.dialogId }))
        const { system } = yield* Effect.promise(() => import("../access/Access.js"))
        yield* engine.execute(system, new Dialog.OfferDialog({ dialogId: b.dialogId, operatorId: anna.id, expiresAt: 10 ** 13 }))
        const load = yield* store.loadOf(anna.id)
        const all = yield* store.loads()
        expect((all.get(anna.id) ?? []).map((entry) => entry.dialogId).sort()).toEqual([a.dialogId, b.dialogId].sort())
        expect(all.get(boris.id) ?? []).toEqual([])
        expect(load.map((entry) => [entry.dialogId, entry.kind]).sort()).toEqual([[a.dialogId, "assigned"], [b.dialogId, "offered"]].sort())
        expect((yield* store.queued(10)).map((d) => d.state.id)).toEqual([b.dialogId])
        const operator = Option.getOrThrow(yield* store.loadOperator(anna.id))
        expect(operator.state.lastAssignedAt["telegram"]).toBeGreaterThan(0)
        expect((yield* store.listOperators()).length).toBe(3)
      })))
  })
