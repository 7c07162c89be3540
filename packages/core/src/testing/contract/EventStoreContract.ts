import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option, Schema } from "effect"
import * as Dialog from "../../dialogs/Dialog.js"
import { Engine } from "../../engine/Engine.js"
import { EventStore } from "../../ports/EventStore.js"
import { HistoryStore } from "../../ports/HistoryStore.js"
import { TimerStore } from "../../ports/TimerStore.js"
import { ChannelId, type ClientId, TagId } from "../../shared/Ids.js"
import * as Client from "../../clients/Client.js"
import { DialogListStore } from "../../ports/DialogListStore.js"
import { defaults } from "../../settings/Settings.js"
import { anna, inbound, owner, supervisor, telegram, widget } from "../fixtures.js"
import { runner, type StoreLayer } from "./support.js"

/**
 * The behaviour every `EventStore` adapter must have: commits land whole or not at all, versions and checks guard them, positions follow commit order, identities are unique, and the checked commits (first contact, a redelivered message) write nothing when their check finds something.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const eventStoreContract = (name: string, makeStore: StoreLayer) =>
  describe(`EventStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("first contact creates a client and a dialog; state and versions round-trip", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
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
        const store = yield* EventStore
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
        const eventStore = yield* EventStore
        const timerStore = yield* TimerStore
        const first = yield* engine.receive(inbound("c1", "hello"))
        const second = yield* engine.receive(inbound("c2", "hi"))
        const a = Option.getOrThrow(yield* eventStore.loadDialog(first.dialogId))
        const b = Option.getOrThrow(yield* eventStore.loadDialog(second.dialogId))
        const event = new Dialog.TagsSet({ tags: [TagId.make("vip")], by: "test", at: 1 })
        const before = yield* eventStore.readAll(0, 1000)
        const conflict = yield* Effect.flip(eventStore.commit({
          streams: [
            { kind: "dialog", id: a.state.id, expectedVersion: a.version, events: [event], state: a.state },
            { kind: "dialog", id: b.state.id, expectedVersion: b.version - 1, events: [event], state: b.state }
          ],
          messages: [],
          timers: [{ _tag: "Set", timer: { key: "x", kind: "x", subject: "x", dueAt: 0 } }]
        }))
        expect(conflict._tag).toBe("VersionConflict")
        expect((yield* eventStore.readAll(0, 1000)).length).toBe(before.length)
        expect(Option.getOrThrow(yield* eventStore.loadDialog(first.dialogId)).version).toBe(a.version)
        expect(yield* timerStore.claimDue(Number.MAX_SAFE_INTEGER, 10, 1000)).toEqual([])
      })))

    it.effect("a checked stream that moved fails the commit, and nothing of it is written", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
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

    it.effect("global positions strictly increase, readAll resumes after a position, lastPosition is the newest", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
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

    it.effect("a second client cannot claim an identity another client has", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
        const first = yield* engine.receive(inbound("same", "one"))
        const client = Option.getOrThrow(yield* store.loadClient(first.clientId))
        const { ClientCreated, Identity, initial, evolve } = yield* Effect.promise(() => import("../../clients/Client.js"))
        const intruder = initial("cli_intruder" as typeof first.clientId)
        const created = new ClientCreated({ clientId: intruder.id, identity: new Identity({ channelId: telegram.id, externalId: "same" }), profile: {}, at: 1 })
        const result = yield* Effect.flip(store.commit({ streams: [{ kind: "client", id: intruder.id, expectedVersion: 0, events: [created], state: evolve(intruder, created) }], messages: [], timers: [] }))
        expect(result._tag).toBe("VersionConflict")
        expect(yield* store.findClient(telegram.id, "same")).toEqual(Option.some(client.state.id))
      })))

    it.effect("a merge moves the merged client's identities and dialogs to the survivor in one commit; their next message lands there", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
        const lists = yield* DialogListStore
        // The same person wrote from two Telegram accounts and from the website.
        const kept = yield* engine.receive(inbound("ivan-tg", "hello", { name: "Ivan" }))
        const other = yield* engine.receive(inbound("ivan-tg-2", "it's me again"))
        const web = yield* engine.receive(inbound("ivan-web", "and from the site", { channelId: widget.id }))
        yield* engine.mergeClients(supervisor, new Client.MergeClients({ clientId: kept.clientId, mergedId: other.clientId }))
        yield* engine.mergeClients(owner, new Client.MergeClients({ clientId: kept.clientId, mergedId: web.clientId }))
        for (const [channelId, externalId] of [[telegram.id, "ivan-tg"], [telegram.id, "ivan-tg-2"], [widget.id, "ivan-web"]] as const) {
          expect(yield* store.findClient(channelId, externalId)).toEqual(Option.some(kept.clientId))
          expect(Option.map(yield* store.findInbound(channelId, externalId), (target) => target.client.state.id)).toEqual(Option.some(kept.clientId))
        }
        const survivor = Option.getOrThrow(yield* store.loadClient(kept.clientId)).state
        expect(Client.dialogsOf(survivor).toSorted()).toEqual([kept.dialogId, other.dialogId, web.dialogId].toSorted())
        const merged = Option.getOrThrow(yield* store.loadClient(other.clientId)).state
        expect([merged.mergedInto, merged.identities, Client.dialogsOf(merged)]).toEqual([kept.clientId, [], []])
        for (const dialogId of [other.dialogId, web.dialogId]) {
          expect(Option.getOrThrow(yield* store.loadDialog(dialogId)).state.clientId).toEqual(Option.some(kept.clientId))
        }
        // The dialog list names the survivor on the moved dialogs.
        const rows = (yield* lists.listDialogs({ viewer: { userId: supervisor.id, seesAll: true }, folder: "new", limit: 50 })).items
        expect(rows.filter((row) => row.dialogId === web.dialogId).map((row) => [row.clientId, row.clientName])).toEqual([[Option.some(kept.clientId), "Ivan"]])
        // A later message from the website goes to the survivor's dialog there (the one that moved).
        const later = yield* engine.receive(inbound("ivan-web", "still there?", { channelId: widget.id }))
        expect([later.clientId, later.dialogId]).toEqual([kept.clientId, web.dialogId])
        // From the merged Telegram account: the survivor's Telegram dialog (a channel both had keeps the survivor's).
        const again = yield* engine.receive(inbound("ivan-tg-2", "hello?"))
        expect([again.clientId, again.dialogId]).toEqual([kept.clientId, kept.dialogId])
        const stream = yield* store.readStream(`client:${other.clientId as ClientId}`)
        expect(stream.map((event) => event.event._tag)).toEqual(["ClientCreated", "ClientDialogStarted", "ClientMergedInto"])
      })))

    it.effect("a merge that lost a race writes nothing: the merged client's stream moved since it was read", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
        const kept = yield* engine.receive(inbound("race-a", "one"))
        const other = yield* engine.receive(inbound("race-b", "two"))
        const into = Option.getOrThrow(yield* store.loadClient(kept.clientId))
        const merged = Option.getOrThrow(yield* store.loadClient(other.clientId))
        const decided = Client.decideMerge(into.state, new Client.MergeClients({ clientId: kept.clientId, mergedId: other.clientId }), { now: 1, actor: owner, settings: defaults, merged: merged.state })
        const events = decided.pipe(Either.getOrThrow)
        const mergedEvents = Client.mergedIntoEvents(merged.state, kept.clientId, owner, 1)
        const stale = merged.version - 1
        const result = yield* Effect.flip(store.commit({
          streams: [
            { kind: "client", id: kept.clientId, expectedVersion: into.version, events, state: events.reduce(Client.evolve, into.state) },
            { kind: "client", id: other.clientId, expectedVersion: stale, events: mergedEvents, state: mergedEvents.reduce(Client.evolve, merged.state) }
          ],
          messages: [],
          timers: []
        }))
        expect(result._tag).toBe("VersionConflict")
        expect(yield* store.findClient(telegram.id, "race-b")).toEqual(Option.some(other.clientId))
        expect(Option.getOrThrow(yield* store.loadClient(kept.clientId)).version).toBe(into.version)
      })))

    it.effect("a first contact commits while the address is free; at a known address it writes nothing and answers like findInbound", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* EventStore
        const { ClientCreated, Identity, initial, evolve } = yield* Effect.promise(() => import("../../clients/Client.js"))
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
        const eventStore = yield* EventStore
        const historyStore = yield* HistoryStore
        const first = yield* engine.receive(inbound("c1", "message 0", { externalId: "m0" }))
        for (let i = 1; i <= 120; i++) yield* engine.receive(inbound("c1", `message ${i}`, { externalId: `m${i}` }))
        const before = yield* eventStore.lastPosition
        const again = yield* engine.receive(inbound("c1", "message 0", { externalId: "m0" }))
        expect([again.dialogId, again.messageId, again.events]).toEqual([first.dialogId, first.messageId, []])
        expect(yield* eventStore.lastPosition).toBe(before)
        // A new message of the same long dialog still lands, once; so does one without an external id.
        yield* engine.receive(inbound("c1", "message 121", { externalId: "m121" }))
        yield* engine.receive(inbound("c1", "message 121", { externalId: "m121" }))
        yield* engine.receive(inbound("c1", "no id"))
        const texts = (yield* historyStore.messages({ dialogId: first.dialogId, limit: 500, includeInternal: true })).items.map((message) => message.text)
        expect(texts.filter((text) => text === "message 0")).toHaveLength(1)
        expect(texts.filter((text) => text === "message 121")).toHaveLength(1)
        expect(texts.filter((text) => text.startsWith("message ") || text === "no id")).toHaveLength(123)
        // The store's own answer, without the engine: the id of the message already there.
        const seen = yield* eventStore.commitUnseen({ dialogId: first.dialogId, externalId: "m0" }, { streams: [], messages: [], timers: [] })
        expect(seen).toEqual({ _tag: "Seen", messageId: Option.getOrThrow(first.messageId) })
      })), 60_000)
  })
